import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { InboundEvent } from '../channels/types';
import { conversationKey } from '../shared/ids';
import { INBOUND_JOB, type KeyLayout } from './queues';

/** An inbound event as it waits in its conversation's inbox. */
export interface InboxItem {
  event: InboundEvent;
  /** when the server accepted it (ms): the engine's "now" for this event, fixed so a retry computes the same */
  receivedAt: number;
}

// Dedupe and append in one atomic step: a platform retry finds the seen-key and appends nothing.
const ACCEPT = `
if redis.call('set', KEYS[1], '1', 'NX', 'EX', ARGV[2]) then
  redis.call('rpush', KEYS[2], ARGV[1])
  return 1
end
return 0`;

export interface AcceptOutcome {
  queued: number;
  duplicates: number;
}

/**
 * The durable enqueue behind every webhook: each event goes into its conversation's inbox list
 * (deduplicated by the platform's id), then one drain job per conversation is added. Resolves only
 * when all of it is in Redis; the webhook answers 200 after that (invariant 1).
 */
export function createInbox(deps: {
  /**
   * A connection of its own, without BullMQ's scripts: ioredis copies every defined script into
   * each pipeline, which made a pipeline on the queues' connection cost ~10x a plain one.
   */
  redis: Redis;
  inboundQueue: Queue;
  keys: KeyLayout;
  /** how long a platform event id is remembered; default 72 h (Meta asks for at least 48 h) */
  dedupeSeconds?: number;
  now?: () => number;
}) {
  const { redis, inboundQueue, keys, dedupeSeconds = 72 * 3600, now = Date.now } = deps;
  const accept = redis as Redis & { communeAccept?: (seenKey: string, inboxKey: string, item: string, ttl: string) => Promise<number> };
  // EVALSHA of a script loaded once, rather than sending the script text with every event.
  if (!accept.communeAccept) redis.defineCommand('communeAccept', { numberOfKeys: 2, lua: ACCEPT });
  // Drain jobs asked for within the same moment go to Redis together (one addBulk); each caller
  // still resolves only once its own job is stored.
  let batch: { key: string; done: () => void; fail: (e: unknown) => void }[] = [];
  const flush = () => {
    const now = batch;
    batch = [];
    const jobs = now.map((b) => ({ name: 'drain', data: { conversationKey: b.key }, opts: INBOUND_JOB }));
    const added = jobs.length === 1 ? inboundQueue.add(jobs[0].name, jobs[0].data, jobs[0].opts) : inboundQueue.addBulk(jobs);
    added.then(
      () => now.forEach((b) => b.done()),
      (e: unknown) => now.forEach((b) => b.fail(e)),
    );
  };
  const addDrain = (key: string) =>
    new Promise<void>((done, fail) => {
      if (batch.length === 0) setImmediate(flush);
      batch.push({ key, done, fail });
    });
  const run = (event: InboundEvent, key: string, receivedAt: number) =>
    accept.communeAccept!(keys.seen(event.id, event.channel), keys.inbox(key), JSON.stringify({ event, receivedAt } satisfies InboxItem), String(dedupeSeconds));

  return {
    async accept(events: InboundEvent[]): Promise<AcceptOutcome> {
      if (events.length === 0) return { queued: 0, duplicates: 0 };
      const receivedAt = now();
      const conversations = new Set<string>();
      let queued = 0;
      // One event (the usual webhook): one round trip. Several: in order, one after the other,
      // so that a batch keeps its order in each inbox.
      for (const event of events) {
        const key = conversationKey(event.channel, event.userId);
        conversations.add(key);
        if ((await run(event, key, receivedAt)) === 1) queued++;
      }
      // A drain job is added even for a duplicate: if an earlier attempt stored the event but failed
      // before its job was added, the platform's retry still gets it processed.
      await Promise.all([...conversations].map((key) => addDrain(key)));
      return { queued, duplicates: events.length - queued };
    },
  };
}

export type Inbox = ReturnType<typeof createInbox>;
