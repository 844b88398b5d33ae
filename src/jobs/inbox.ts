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
  redis: Redis;
  inboundQueue: Queue;
  keys: KeyLayout;
  /** how long a platform event id is remembered; default 72 h (Meta asks for at least 48 h) */
  dedupeSeconds?: number;
  now?: () => number;
}) {
  const { redis, inboundQueue, keys, dedupeSeconds = 72 * 3600, now = Date.now } = deps;
  return {
    async accept(events: InboundEvent[]): Promise<AcceptOutcome> {
      if (events.length === 0) return { queued: 0, duplicates: 0 };
      const receivedAt = now();
      const pipeline = redis.pipeline();
      const conversations = new Set<string>();
      for (const event of events) {
        const key = conversationKey(event.channel, event.userId);
        conversations.add(key);
        const item: InboxItem = { event, receivedAt };
        pipeline.eval(ACCEPT, 2, keys.seen(event.id, event.channel), keys.inbox(key), JSON.stringify(item), String(dedupeSeconds));
      }
      const results = await pipeline.exec();
      let queued = 0;
      for (const [err, res] of results ?? []) {
        if (err) throw err;
        if (res === 1) queued++;
      }
      // A drain job is added even for a duplicate: if an earlier attempt stored the event but failed
      // before its job was added, the platform's retry still gets it processed.
      await inboundQueue.addBulk([...conversations].map((key) => ({ name: 'drain', data: { conversationKey: key }, opts: INBOUND_JOB })));
      return { queued, duplicates: events.length - queued };
    },
  };
}

export type Inbox = ReturnType<typeof createInbox>;
