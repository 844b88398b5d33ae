import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { CASE_QUEUE } from '../../src/jobs/case-schedule';
import { ALL_QUEUES, JOB_STATES, createQueueFigures } from '../../src/jobs/queue-figures';
import { createMetrics } from '../../src/metrics';
import { TEST_REDIS_URL, deleteKeys, uniquePrefix } from '../helpers/redis';

describe('queue figures read at scrape time', () => {
  let prefix: string;
  let redis: Redis;
  let queue: Queue;
  let worker: Worker | undefined;
  let workerRedis: Redis | undefined;

  beforeEach(() => {
    prefix = uniquePrefix();
    redis = new Redis(TEST_REDIS_URL);
    queue = new Queue(CASE_QUEUE, { connection: redis, prefix });
  });

  afterEach(async () => {
    await worker?.close();
    workerRedis?.disconnect();
    await queue.close();
    await deleteKeys(prefix);
    redis.disconnect();
  });

  it('when an overdue case escalation fails for good, then escalations_failed_total and jobs_failed_total count it once, and a delayed job shows in the depth', async () => {
    const metrics = createMetrics({ queueNames: ALL_QUEUES, states: JOB_STATES });
    metrics.watch({ queues: createQueueFigures([queue], redis) });
    const scrape = async () => metrics.registry.metrics();
    expect(await scrape()).toContain('commune_chatbot_escalations_failed_total 0');

    // The store refuses the case (e.g. MongoDB down past every retry): the supervisor is not told.
    worker = new Worker(CASE_QUEUE, async (): Promise<void> => { throw new UnrecoverableError('store unavailable'); }, { connection: (workerRedis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null })), prefix });
    const failed = new Promise<void>((resolve) => {
      let n = 0;
      worker!.on('failed', () => ++n === 2 && resolve());
    });
    await queue.add('overdue', { type: 'overdue', caseId: 'c1', dueAt: 1, n: 0, at: 1 }, { jobId: 'case-c1-overdue-1-0' });
    await queue.add('notice', { type: 'notice', caseId: 'c1' }, { jobId: 'case-c1-notice' });
    await queue.add('remind_half', { type: 'remind_half', caseId: 'c2' }, { jobId: 'case-c2-remind', delay: 3_600_000 });
    await failed;

    const text = await scrape();
    expect(text).toContain('commune_chatbot_escalations_failed_total 1');
    expect(text).toContain(`commune_chatbot_jobs_failed_total{queue="${CASE_QUEUE}"} 2`);
    expect(text).toContain(`commune_chatbot_queue_jobs{queue="${CASE_QUEUE}",state="failed"} 2`);
    expect(text).toContain(`commune_chatbot_queue_jobs{queue="${CASE_QUEUE}",state="delayed"} 1`);
    // Queues this process did not get still have their series, at 0.
    expect(text).toContain('commune_chatbot_queue_jobs{queue="result-dates",state="waiting"} 0');
    // The next scrape does not count them again.
    const again = await scrape();
    expect(again).toContain('commune_chatbot_escalations_failed_total 1');
    expect(again).toContain(`commune_chatbot_jobs_failed_total{queue="${CASE_QUEUE}"} 2`);
  });
});
