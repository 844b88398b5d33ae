import type { Logger } from './shared/logger';

export interface StoreStartOptions {
  /** how long to keep trying, from the first attempt */
  waitMs: number;
  log: Logger;
  /** what the store is, for the log (a host, never credentials) */
  what: string;
  /** default Date.now */
  now?: () => number;
  /** default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Opens the store, trying again while it is not reachable yet (MongoDB still electing its primary,
 * a container still starting) until `waitMs` has passed; then the last error stands. Each attempt
 * is given the time that is left (at most 3 s, at least 1 s), and the pause between attempts grows
 * from 1 s to 5 s.
 */
export async function openStoreWithin<T>(open: (attemptMs: number) => Promise<T>, opts: StoreStartOptions): Promise<T> {
  const { waitMs, log, what, now = Date.now, sleep = (ms) => new Promise((r) => setTimeout(r, ms)) } = opts;
  const deadline = now() + waitMs;
  for (let attempt = 1; ; attempt++) {
    const left = deadline - now();
    try {
      return await open(Math.max(1000, Math.min(3000, left)));
    } catch (err) {
      const after = deadline - now();
      if (after <= 0) throw err;
      const pause = Math.min(1000 * attempt, 5000, after);
      log.warn({ store: what, attempt, retryInMs: pause, err: (err as Error).message }, 'store not reachable yet; trying again');
      await sleep(pause);
    }
  }
}

/** The host part of a MongoDB URI, without user or password, for logs. */
export function storeHost(uri: string): string {
  const m = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(uri);
  return m?.[1] ?? 'mongodb';
}
