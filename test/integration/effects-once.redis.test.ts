import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { InboundEvent } from '../../src/channels/types';
import type { EffectJobData } from '../../src/jobs/conversation-turn';
import type { ActionOutcome } from '../../src/jobs/action-runner';
import { createEffectsWorker, redisEffectOutcomes } from '../../src/jobs/effects-worker';
import type { Inbox } from '../../src/jobs/inbox';
import { QUEUES } from '../../src/jobs/queues';
import { silentLogger } from '../../src/shared/logger';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';

/** A civic action that has run must not run again when its job is retried (a petition filed twice). */
describe('effects worker: an action runs once even when feeding its result back fails', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUES.effects, { connection: redis, prefix });

  afterAll(async () => {
    await queue.close();
    redis.disconnect();
    await deleteKeys(prefix);
  });

  it('files once, then feeds the same outcome back on the retry', async () => {
    const filed: string[] = [];
    const fedBack: InboundEvent[] = [];
    let acceptFailures = 1;
    const inbox = {
      accept: async (events: InboundEvent[]) => {
        if (acceptFailures-- > 0) throw new Error('Redis connection lost');
        fedBack.push(...events);
        return { accepted: events.length, duplicates: 0 };
      },
    } as unknown as Inbox;
    const runAction = async (): Promise<ActionOutcome> => {
      filed.push('case');
      return { ok: true, data: { code: `PA-${filed.length}` } };
    };
    const workerRedis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const worker = createEffectsWorker({
      connection: workerRedis,
      prefix,
      inbox,
      runAction,
      outcomes: redisEffectOutcomes(redis, prefix),
      log: silentLogger,
    });
    const data: EffectJobData = { conversationKey: 'messenger:u1', channel: 'messenger', userId: 'u1', eventId: 'm1', index: 0, action: 'case.create', args: {}, locale: 'vi', requestedAt: 1 };
    await queue.add('case.create', data, { jobId: 'fx-1', attempts: 3, backoff: { type: 'fixed', delay: 50 } });
    const deadline = Date.now() + 10_000;
    while (fedBack.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await worker.close();
    workerRedis.disconnect();

    expect(filed).toEqual(['case']);
    expect(fedBack).toHaveLength(1);
    expect(fedBack[0]!.content).toMatchObject({ type: 'action_result', ok: true, data: { code: 'PA-1' } });
  });
});
