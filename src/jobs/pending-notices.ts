import type { Redis } from 'ioredis';
import type { Choice } from '../channels/types';
import type { PendingReason } from '../shared/messaging-policy';

/** A notice that could not go out yet: delivered at the person's next message, listed for admins. */
export interface PendingNotice {
  /** the notice's stable id (its job id and recipient): recorded once however often it is retried */
  id: string;
  caseId: string;
  caseCode: string;
  kind: string;
  text: string;
  /** the notice's buttons (the rating button of a closed case): they go out with it at the next message */
  choices?: Choice[];
  reason: PendingReason;
  /** when it was put aside (ms) */
  at: number;
}

export interface PendingNotices {
  /** Keeps a notice for `channel`/`userId`; false when one with this id is already kept. */
  add(channel: string, userId: string, notice: PendingNotice): Promise<boolean>;
  /** Takes (and removes) everything kept for this person, oldest first: call it at their next message. */
  take(channel: string, userId: string): Promise<PendingNotice[]>;
  /** Everyone with notices waiting, and the notices, for the admins. */
  list(): Promise<{ channel: string; userId: string; notices: PendingNotice[] }[]>;
  /** How many notices are waiting in all. */
  count(): Promise<number>;
}

// One step: a retried job cannot add the same notice twice, and the index always names the list.
const ADD = `
local items = redis.call('LRANGE', KEYS[1], 0, -1)
for _, item in ipairs(items) do
  if string.find(item, ARGV[1], 1, true) then return 0 end
end
redis.call('RPUSH', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
return 1`;

const TAKE = `
local items = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return items`;

interface PendingCommands {
  communePendingAdd(list: string, people: string, idNeedle: string, notice: string, member: string): Promise<number>;
  communePendingTake(list: string, people: string, member: string): Promise<string[]>;
}

/**
 * Pending notices in Redis: the list `${prefix}:pending:${channel}:${userId}` per person, and the set
 * `${prefix}:pending-people` naming those lists.
 */
export function createPendingNotices(redis: Redis, prefix: string): PendingNotices {
  const listKey = (channel: string, userId: string) => `${prefix}:pending:${channel}:${userId}`;
  const peopleKey = `${prefix}:pending-people`;
  const member = (channel: string, userId: string) => `${channel}:${userId}`;
  const parse = (items: string[]) => items.map((s) => JSON.parse(s) as PendingNotice);
  // Sent by SHA (EVALSHA): `take` runs at every message a person sends, and the script text need not travel each time.
  const commands = redis as Redis & Partial<PendingCommands>;
  if (!commands.communePendingAdd) redis.defineCommand('communePendingAdd', { numberOfKeys: 2, lua: ADD });
  if (!commands.communePendingTake) redis.defineCommand('communePendingTake', { numberOfKeys: 2, lua: TAKE });
  const { communePendingAdd: addScript, communePendingTake: takeScript } = commands as Redis & PendingCommands;

  return {
    async add(channel, userId, notice) {
      const added = await addScript.call(redis, listKey(channel, userId), peopleKey, JSON.stringify({ id: notice.id }).slice(1, -1), JSON.stringify(notice), member(channel, userId));
      return added === 1;
    },
    async take(channel, userId) {
      return parse(await takeScript.call(redis, listKey(channel, userId), peopleKey, member(channel, userId)));
    },
    async list() {
      const people = (await redis.smembers(peopleKey)).sort();
      const out: { channel: string; userId: string; notices: PendingNotice[] }[] = [];
      for (const m of people) {
        const cut = m.indexOf(':');
        const channel = m.slice(0, cut);
        const userId = m.slice(cut + 1);
        const notices = parse(await redis.lrange(listKey(channel, userId), 0, -1));
        if (notices.length > 0) out.push({ channel, userId, notices });
      }
      return out;
    },
    async count() {
      let n = 0;
      for (const m of await redis.smembers(peopleKey)) {
        const cut = m.indexOf(':');
        n += await redis.llen(listKey(m.slice(0, cut), m.slice(cut + 1)));
      }
      return n;
    },
  };
}
