import { randomUUID } from 'node:crypto';
import { DelayedError, Worker, type ConnectionOptions, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../shared/logger';
import { handleInboundEvent } from './conversation-turn';
import type { InboxItem } from './inbox';
import { INBOUND_JOB, QUEUES, backoffWithJitter, safeId, type KeyLayout } from './queues';

type HandleDeps = Parameters<typeof handleInboundEvent>[1];

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
// The holder lets go only when the inbox is empty, atomically: an event pushed while the lock was
// held is always seen by the holder, so a job that finds the lock taken can end at once.
const RELEASE_IF_EMPTY = `
if redis.call('llen', KEYS[2]) > 0 then return 0 end
if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
return 1`;

/**
 * The inbound worker. Each drain job takes its conversation's lock (shared by every worker
 * process through Redis) and handles the inbox from its head, one event at a time; an event
 * leaves the inbox only after it was handled (invariant 3). A job that finds the lock taken has
 * nothing to do: the holder releases only once the inbox is empty, so it handles that event too.
 * If the holder dies, its own job is retried (stalled-job recovery) once the lock expires.
 */
export function createInboundWorker(opts: {
  connection: ConnectionOptions;
  redis: Redis;
  /** the inbound queue itself, to hand a long inbox over to a fresh job */
  inboundQueue: Queue;
  keys: KeyLayout;
  deps: HandleDeps;
  log: Logger;
  /** concurrent drain jobs in this process; default 16 */
  concurrency?: number;
  /** events handled by one job before it hands over to a fresh job; default 50 */
  batch?: number;
  /** an event that failed this many times goes to the dead-letter list; default 5 */
  maxEventFailures?: number;
  /** lock lifetime, extended after every event; default 30 s */
  lockMs?: number;
}): Worker {
  const { connection, redis, inboundQueue, keys, deps, log, concurrency = 16, batch = 50, maxEventFailures = 5, lockMs = 30_000 } = opts;

  async function drain(job: Job<{ conversationKey: string }>, token?: string): Promise<void> {
    const key = job.data.conversationKey;
    const lockKey = keys.conversationLock(key);
    const inboxKey = keys.inbox(key);
    const holder = randomUUID();
    if ((await redis.set(lockKey, holder, 'PX', lockMs, 'NX')) !== 'OK') {
      // Taken: if by a live holder, it drains our event; if by a dead one, wait for the lock to expire.
      const ttl = await redis.pttl(lockKey);
      if (ttl > lockMs - 5_000 || ttl < 0) return;
      await job.moveToDelayed(Date.now() + Math.max(50, ttl), token);
      throw new DelayedError();
    }
    let released = false;
    try {
      for (let n = 0; ; n++) {
        const raw = await redis.lindex(inboxKey, 0);
        if (raw === null) {
          if ((await redis.eval(RELEASE_IF_EMPTY, 2, lockKey, inboxKey, holder)) === 1) {
            released = true;
            return;
          }
          continue;
        }
        if (n >= batch) {
          // Long inbox: hand over to a fresh job so other conversations get their turn.
          await redis.eval(RELEASE, 1, lockKey, holder);
          released = true;
          await inboundQueue.add('drain', { conversationKey: key }, INBOUND_JOB);
          return;
        }
        const item = JSON.parse(raw) as InboxItem;
        try {
          await handleInboundEvent(item, deps);
        } catch (err) {
          const failures = await redis.hincrby(keys.failures(), item.event.id, 1);
          if (failures < maxEventFailures) throw err;
          // A poison event must not block the person's later messages forever: set it aside, inspectable.
          log.error({ err, conversation: safeId(key), eventId: safeId(item.event.id), failures }, 'inbound event moved to dead letters');
          await redis.multi().rpush(keys.deadLetters(), raw).lpop(inboxKey).hdel(keys.failures(), item.event.id).exec();
          continue;
        }
        await redis.multi().lpop(inboxKey).hdel(keys.failures(), item.event.id).pexpire(lockKey, lockMs).exec();
      }
    } finally {
      // On an error the lock goes at once: this job's retry (or any new message) resumes the inbox.
      if (!released) await redis.eval(RELEASE, 1, lockKey, holder);
    }
  }

  const worker = new Worker(QUEUES.inbound, drain, {
    connection,
    prefix: keys.prefix,
    concurrency,
    settings: { backoffStrategy: (attemptsMade: number) => backoffWithJitter(attemptsMade, { baseMs: 200, capMs: 30_000 }) },
  });
  worker.on('failed', (job, err) => log.warn({ err, queue: QUEUES.inbound, attempts: job?.attemptsMade }, 'inbound job failed'));
  worker.on('error', (err) => log.error({ err }, 'inbound worker error'));
  return worker;
}
