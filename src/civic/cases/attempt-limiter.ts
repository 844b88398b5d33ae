/**
 * Counting attempts at something that can be guessed (a case code typed in chat), per person, in a
 * fixed window: the first `limit` hits of a window are allowed, the rest refused until it ends.
 */
export interface AttemptLimiter {
  /** Counts one attempt under `key`; resolves true while at most `limit` were made in the window. */
  hit(key: string, limit: number, windowMs: number): Promise<boolean /* allowed */>;
}

/**
 * The attempts counted in this process's memory: for tests, the terminal chat and ROLE=all on the
 * memory store. Several processes need the Redis limiter (jobs/redis-attempt-limiter.ts).
 */
export class MemoryAttemptLimiter implements AttemptLimiter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  /** @param now the clock; default Date.now */
  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, limit: number, windowMs: number): Promise<boolean> {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || w.endsAt <= t) {
      this.forgetEnded(t);
      w = { count: 0, endsAt: t + windowMs };
      this.windows.set(key, w);
    }
    w.count += 1;
    return w.count <= limit;
  }

  // Keeps the map from growing with every person who ever mistyped a code.
  private forgetEnded(t: number): void {
    for (const [key, w] of this.windows) if (w.endsAt <= t) this.windows.delete(key);
  }
}
