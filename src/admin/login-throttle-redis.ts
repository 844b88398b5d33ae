import type { Redis } from 'ioredis';
import { LOCKOUT, type LoginThrottle } from './accounts';

/**
 * Failed logins counted in Redis, shared by every web process. Keys:
 * `${prefix}:login-fail:${key}` (INCR, expires with the window) and `${prefix}:login-lock:${key}`.
 */
export function createRedisLoginThrottle(redis: Redis, opts: { prefix: string }): LoginThrottle {
  const fails = (key: string) => `${opts.prefix}:login-fail:${key}`;
  const lock = (key: string) => `${opts.prefix}:login-lock:${key}`;
  return {
    async lockedFor(key) {
      const ms = await redis.pttl(lock(key));
      return ms > 0 ? ms : 0;
    },
    async fail(key) {
      const replies = await redis.multi().incr(fails(key)).pexpire(fails(key), LOCKOUT.windowMs, 'NX').exec();
      const count = Number(replies?.[0]?.[1] ?? 0);
      if (count >= LOCKOUT.limit) await redis.multi().set(lock(key), '1', 'PX', LOCKOUT.lockMs).del(fails(key)).exec();
    },
    async clear(key) {
      await redis.del(fails(key));
    },
  };
}
