import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DistributedLock } from '../shared/lock';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * A Redis lock (SET NX PX + compare-and-delete release), shared by every process on the same Redis.
 * Waiters poll every `pollMs` until `waitMs` has passed.
 */
export function createRedisLock(redis: Redis, opts: { prefix: string; pollMs?: number }): DistributedLock {
  const { prefix, pollMs = 25 } = opts;
  return {
    async run(name, fn, { ttlMs = 30_000, waitMs = 10_000 } = {}) {
      const key = `${prefix}:lock:${name}`;
      const token = randomUUID();
      const deadline = Date.now() + waitMs;
      for (;;) {
        const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
        if (ok === 'OK') break;
        if (Date.now() >= deadline) return { acquired: false };
        await new Promise((r) => setTimeout(r, pollMs));
      }
      try {
        return { acquired: true, value: await fn() };
      } finally {
        await redis.eval(RELEASE, 1, key, token);
      }
    },
  };
}
