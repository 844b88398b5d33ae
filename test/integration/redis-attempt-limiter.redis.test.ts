import { Redis } from 'ioredis';
import { MemoryAttemptLimiter } from '../../src/civic/cases/attempt-limiter';
import { createRedisAttemptLimiter } from '../../src/jobs/redis-attempt-limiter';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';

describe('attempt limiters', () => {
  let redis: Redis;
  let prefix: string;
  beforeEach(() => {
    redis = new Redis(TEST_REDIS_URL);
    prefix = uniquePrefix();
  });
  afterEach(async () => {
    await deleteKeys(prefix);
    redis.disconnect();
  });

  test('when the limit is passed, then the Redis limiter refuses, under its prefix, until the window expires', async () => {
    const limiter = createRedisAttemptLimiter(redis, { prefix });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.hit('case-code:zalo:u1', 3, 300));
    expect(results).toEqual([true, true, true, false]);
    expect(await limiter.hit('case-code:zalo:u2', 3, 300)).toBe(true);
    const ttl = await redis.pttl(`${prefix}:attempts:case-code:zalo:u1`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    await new Promise((r) => setTimeout(r, 350));
    expect(await limiter.hit('case-code:zalo:u1', 3, 300)).toBe(true);
  });

  test('when hits come at once from several callers, then exactly the limit is allowed', async () => {
    const limiter = createRedisAttemptLimiter(redis, { prefix });
    const results = await Promise.all(Array.from({ length: 20 }, () => limiter.hit('k', 5, 10_000)));
    expect(results.filter(Boolean)).toHaveLength(5);
  });

  test('the memory limiter counts the same way and forgets a window once it has ended', async () => {
    let t = 0;
    const limiter = new MemoryAttemptLimiter(() => t);
    expect([await limiter.hit('k', 2, 100), await limiter.hit('k', 2, 100), await limiter.hit('k', 2, 100)]).toEqual([true, true, false]);
    t = 100;
    expect(await limiter.hit('k', 2, 100)).toBe(true);
  });
});
