import type { Redis } from 'ioredis';
import type { AttemptLimiter } from '../civic/cases/attempt-limiter';

/**
 * Attempts counted in Redis, shared by every process: INCR and PEXPIRE NX in one MULTI, so the
 * window starts at the first attempt and a crash between the two commands cannot leave a counter
 * that never expires. Keys are `${prefix}:attempts:${key}`.
 */
export function createRedisAttemptLimiter(redis: Redis, opts: { prefix: string }): AttemptLimiter {
  const { prefix } = opts;
  return {
    async hit(key, limit, windowMs) {
      const replies = await redis.multi().incr(`${prefix}:attempts:${key}`).pexpire(`${prefix}:attempts:${key}`, windowMs, 'NX').exec();
      if (!replies) throw new Error('attempt count was not written: the MULTI was discarded');
      const [incrError, count] = replies[0];
      if (incrError) throw incrError;
      return Number(count) <= limit;
    },
  };
}
