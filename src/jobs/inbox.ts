import type { Redis } from 'ioredis';
import type { InboundEvent } from '../channels/types';
import { conversationKey } from '../shared/ids';
import type { KeyLayout } from './queues';

/** An inbound event as it waits in its conversation's inbox. */
export interface InboxItem {
  event: InboundEvent;
  /** when the server accepted it (ms): the engine's "now" for this event, fixed so a retry computes the same */
  receivedAt: number;
}

// Dedupe, append and mark ready in one atomic step. A platform retry finds the seen-key and changes
// nothing. A conversation not yet marked gets the mark (score: when) and one entry on the wake
// list, which the workers turn into a drain job; while it stays marked (a drain is pending or
// running), appending is enough: the drain holder clears the mark only once the inbox is empty.
const ACCEPT = `
if redis.call('set', KEYS[1], '1', 'NX', 'EX', ARGV[2]) then
  redis.call('rpush', KEYS[2], ARGV[1])
  if redis.call('zadd', KEYS[3], 'NX', ARGV[3], ARGV[4]) == 1 then redis.call('rpush', KEYS[4], ARGV[4]) end
  return 1
end
return 0`;

export interface AcceptOutcome {
  queued: number;
  duplicates: number;
}

type AcceptCommand = (seenKey: string, inboxKey: string, readyKey: string, wakeKey: string, item: string, ttl: string, now: string, conversation: string) => Promise<number>;

/**
 * The durable enqueue behind every webhook: each event goes into its conversation's inbox list
 * (deduplicated by the platform's id) and the conversation is marked ready, in one Lua call per
 * event. No BullMQ work here: the workers create the drain jobs (inbound-worker.ts, ready pump).
 * Resolves only when all of it is in Redis; the webhook answers 200 after that (invariant 1).
 */
export function createInbox(deps: {
  /**
   * A connection of its own, without BullMQ's scripts: ioredis copies every defined script into
   * each pipeline, which made a pipeline on the queues' connection cost ~10x a plain one.
   */
  redis: Redis;
  keys: KeyLayout;
  /** how long a platform event id is remembered; default 72 h (Meta asks for at least 48 h) */
  dedupeSeconds?: number;
  now?: () => number;
}) {
  const { redis, keys, dedupeSeconds = 72 * 3600, now = Date.now } = deps;
  const withCommand = redis as Redis & { communeAccept?: AcceptCommand };
  // EVALSHA of a script loaded once, rather than sending the script text with every event.
  if (!withCommand.communeAccept) redis.defineCommand('communeAccept', { numberOfKeys: 4, lua: ACCEPT });
  const accept = withCommand.communeAccept!.bind(redis);
  const ttl = String(dedupeSeconds);
  const readyKey = keys.ready();
  const wakeKey = keys.wake();

  const run = (event: InboundEvent, receivedAt: number): Promise<number> => {
    const key = conversationKey(event.channel, event.userId);
    const item = JSON.stringify({ event, receivedAt } satisfies InboxItem);
    return accept(keys.seen(event.id, event.channel), keys.inbox(key), readyKey, wakeKey, item, ttl, String(receivedAt), key);
  };

  return {
    async accept(events: InboundEvent[]): Promise<AcceptOutcome> {
      if (events.length === 0) return { queued: 0, duplicates: 0 };
      const receivedAt = now();
      // One event (the usual webhook): one round trip.
      if (events.length === 1) {
        const queued = await run(events[0], receivedAt);
        return { queued, duplicates: 1 - queued };
      }
      // Several: sent together on the one connection, which Redis runs in the order sent, so a
      // batch keeps its order in each inbox.
      const queued = (await Promise.all(events.map((event) => run(event, receivedAt)))).reduce((a, b) => a + b, 0);
      return { queued, duplicates: events.length - queued };
    },
  };
}

export type Inbox = ReturnType<typeof createInbox>;
