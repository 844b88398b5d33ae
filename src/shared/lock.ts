/**
 * A mutual-exclusion lock shared by every process (Redis-backed in production).
 * `run` resolves with fn's result, or with `{ acquired: false }` when the lock stayed taken for `waitMs`.
 */
export interface DistributedLock {
  run<T>(
    name: string,
    fn: () => Promise<T>,
    opts?: { ttlMs?: number; waitMs?: number },
  ): Promise<{ acquired: true; value: T } | { acquired: false }>;
}
