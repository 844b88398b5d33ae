import { Redis } from 'ioredis';
import { createRedisProcedureAsks } from '../../src/jobs/procedure-asks';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';

describe('procedure asks in Redis', () => {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = uniquePrefix();
  afterAll(async () => {
    await deleteKeys(prefix);
    redis.disconnect();
  });

  it('when procedures are explained on several Vietnam days, then the counts of the days asked are added up, and each day ages out', async () => {
    const asks = createRedisProcedureAsks(redis, { prefix, keepDays: 30 });
    // 23:30 UTC on 31 March is 06:30 on 1 April in Vietnam.
    await asks.record('khai-sinh', Date.parse('2026-03-31T10:00:00+07:00'));
    await asks.record('khai-sinh', Date.parse('2026-03-31T23:30:00Z'));
    await asks.record('ket-hon', Date.parse('2026-04-01T09:00:00+07:00'));
    await asks.record('khai-sinh', Date.parse('2026-04-02T09:00:00+07:00'));
    expect(await asks.counts(['2026-03-31'])).toEqual(new Map([['khai-sinh', 1]]));
    expect(await asks.counts(['2026-04-01', '2026-04-02', '2026-04-03'])).toEqual(new Map([['khai-sinh', 2], ['ket-hon', 1]]));
    expect(await asks.counts([])).toEqual(new Map());
    const ttl = await redis.ttl(`${prefix}:procedure-asks:2026-04-01`);
    expect(ttl).toBeGreaterThan(29 * 86_400);
    expect(ttl).toBeLessThanOrEqual(30 * 86_400);
  });
});
