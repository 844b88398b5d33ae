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
      const drains = [...conversations].map((key) => ({ name: 'drain', data: { conversationKey: key }, opts: INBOUND_JOB }));
      if (drains.length === 1) await inboundQueue.add(drains[0].name, drains[0].data, drains[0].opts);
      else await inboundQueue.addBulk(drains);
      return { queued, duplicates: events.length - queued };
    },
  };
}

export type Inbox = ReturnType<typeof createInbox>;
