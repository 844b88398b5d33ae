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
// held is always seen by the holder, so a job that finds the lock taken can end at once. In the same
// step the conversation's ready mark goes (unless another holder has the lock now): the next event
// marks it again and wakes a worker (inbox.ts).
const RELEASE_IF_EMPTY = `
if redis.call('llen', KEYS[2]) > 0 then return 0 end
local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] then redis.call('del', KEYS[1]) holder = false end
if not holder then redis.call('zrem', KEYS[3], ARGV[2]) end
return 1`;
// Takes the lock and reads the inbox's head in one round trip; when the lock is taken, its time to live.
const TAKE = `
if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return {1, redis.call('lindex', KEYS[2], 0)} end
return {0, redis.call('pttl', KEYS[1])}`;
// After an event was handled: pops it, clears its failure count, and reads the next head (the lock
// extended) or, the inbox empty, releases as RELEASE_IF_EMPTY does. One round trip instead of three.
const NEXT = `
redis.call('lpop', KEYS[2])
redis.call('hdel', KEYS[3], ARGV[3])
local head = redis.call('lindex', KEYS[2], 0)
local holder = redis.call('get', KEYS[1])
if head then
  if holder == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) end
  return head
end
if holder == ARGV[1] then redis.call('del', KEYS[1]) holder = false end
if not holder then redis.call('zrem', KEYS[4], ARGV[4]) end
return false`;

interface DrainCommands {
  communeTake(lockKey: string, inboxKey: string, holder: string, lockMs: string): Promise<[1, string | null] | [0, number]>;
  communeNext(lockKey: string, inboxKey: string, failuresKey: string, readyKey: string, holder: string, lockMs: string, eventId: string, conversation: string): Promise<string | null>;
}

// Takes up to ARGV[3] ready marks older than ARGV[1] and restamps them ARGV[2]: two workers
// sweeping at once never both take the same mark.
const CLAIM_MARKS = `
local marks = redis.call('zrangebyscore', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, m in ipairs(marks) do redis.call('zadd', KEYS[1], 'XX', ARGV[2], m) end
return marks`;

/**
 * The inbound worker. Each drain job (created by the ready pump below, from the conversations
 * the webhooks marked ready) takes its conversation's lock (shared by every worker
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

  const commands = redis as Redis & Partial<DrainCommands>;
  // EVALSHA of scripts loaded once (defined once per connection, whatever the number of workers on it).
  if (!commands.communeTake) redis.defineCommand('communeTake', { numberOfKeys: 2, lua: TAKE });
  if (!commands.communeNext) redis.defineCommand('communeNext', { numberOfKeys: 4, lua: NEXT });
  const { communeTake: take, communeNext: next } = commands as Redis & DrainCommands;

  async function drain(job: Job<{ conversationKey: string }>, token?: string): Promise<void> {
    const key = job.data.conversationKey;
    const lockKey = keys.conversationLock(key);
    const inboxKey = keys.inbox(key);
    const holder = randomUUID();
    const taken = await take.call(redis, lockKey, inboxKey, holder, String(lockMs));
    if (taken[0] === 0) {
      // Taken: if by a live holder, it drains our event; if by a dead one, wait for the lock to expire.
      const ttl = taken[1];
      if (ttl > lockMs - 5_000 || ttl < 0) return;
      await job.moveToDelayed(Date.now() + Math.max(50, ttl), token);
      throw new DelayedError();
    }
    let raw: string | null = taken[1] ?? null;
    let released = false;
    try {
      for (let n = 0; ; n++) {
        if (raw === null) {
          if ((await redis.eval(RELEASE_IF_EMPTY, 3, lockKey, inboxKey, keys.ready(), holder, key)) === 1) {
            released = true;
            return;
          }
          raw = await redis.lindex(inboxKey, 0);
          continue;
        }
        if (n >= batch) {
          // Long inbox: hand over to a fresh job so other conversations get their turn (it stays marked).
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
          raw = await redis.lindex(inboxKey, 0);
          continue;
        }
        // Handled: pop it and read the next one, or (the inbox empty) let go: one round trip.
        raw = await next.call(redis, lockKey, inboxKey, keys.failures(), keys.ready(), holder, String(lockMs), item.event.id, key);
        if (raw === null) {
          released = true;
          return;
        }
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

/**
 * The ready pump of a worker process: turns conversations marked ready (inbox.ts) into drain jobs,
 * so that the webhook's request path does no BullMQ work. It blocks on the wake list, takes what
 * is there (up to `batch` at a time, one BLMPOP) and adds one drain job each.
 *
 * Nothing marked is left without a drain: a mark is cleared only by a drain holder that found the
 * inbox empty. A worker that dies between taking a wake entry and adding its job leaves the mark
 * behind; `start()` drains every mark whose wake entry is gone (a starting worker picks up all that
 * is ready), and every `sweepEveryMs` marks older than `staleAfterMs` get a fresh drain job (a
 * duplicate drain finds the lock taken or the inbox empty and ends).
 */
export function createReadyPump(opts: {
  /** a connection for the blocking pop: nothing else may use it */
  blocking: Redis;
  /** a connection for everything else (not blocked) */
  redis: Redis;
  inboundQueue: Queue;
  keys: KeyLayout;
  log: Logger;
  /** wake entries taken and jobs added at once; default 200 */
  batch?: number;
  /** default 30 s */
  sweepEveryMs?: number;
  /** default 2 minutes */
  staleAfterMs?: number;
  /** pop the wake list with BLMPOP (Redis 7; default, and falls back by itself) or BLPOP + LPOP */
  multiPop?: boolean;
  now?: () => number;
}) {
  const { blocking, redis, inboundQueue, keys, log, batch = 200, sweepEveryMs = 30_000, staleAfterMs = 120_000, now = Date.now } = opts;
  const wakeKey = keys.wake();
  const readyKey = keys.ready();
  let closing = false;
  let loop: Promise<void> | null = null;
  let sweeping: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  /** the blocking connection's client id, for CLIENT UNBLOCK on close (read before it ever blocks) */
  let blockedId: number | null = null;

  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

  /** Adds one drain job per conversation; retries while Redis is away, and on close gives the entries back to the wake list. */
  async function addDrains(conversations: string[]): Promise<void> {
    const jobs = [...new Set(conversations)].map((conversationKey) => ({ name: 'drain', data: { conversationKey }, opts: INBOUND_JOB }));
    for (let attempt = 1; ; attempt++) {
      try {
        await inboundQueue.addBulk(jobs);
        return;
      } catch (err) {
        log.warn({ err, attempt }, 'adding drain jobs failed');
        if (closing) {
          // Their marks stay either way: the next worker's start drains them.
          await redis.rpush(wakeKey, ...jobs.map((j) => j.data.conversationKey)).catch(() => undefined);
          return;
        }
        await sleep(Math.min(5_000, 100 * 2 ** attempt));
      }
    }
  }

  /** BLMPOP takes a batch in one round trip (Redis 7); before 7, BLPOP then LPOP count. */
  let multiPop = opts.multiPop ?? true;
  async function pop(): Promise<string[] | null> {
    if (multiPop) {
      try {
        const got = await blocking.blmpop(1, 1, wakeKey, 'LEFT', 'COUNT', batch);
        return got ? got[1] : null;
      } catch (err) {
        if (!/unknown command/i.test((err as Error).message)) throw err;
        multiPop = false;
      }
    }
    const first = await blocking.blpop(wakeKey, 1);
    if (!first) return null;
    return [first[1], ...((batch > 1 ? await redis.lpop(wakeKey, batch - 1) : null) ?? [])];
  }

  async function run(): Promise<void> {
    while (!closing) {
      let taken: string[] | null;
      try {
        taken = await pop();
        if (!taken) continue;
      } catch (err) {
        if (closing) break;
        log.warn({ err }, 'ready pump: Redis error');
        await sleep(500);
        continue;
      }
      // Taken means owed a job, even while closing.
      await addDrains(taken);
    }
  }

  /** Drain jobs for marks claimed older than `before` whose wake entry is no longer waiting. */
  async function sweep(before: number, restamp: number): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = (await redis.eval(CLAIM_MARKS, 1, readyKey, String(before), String(restamp), '1000')) as string[];
      if (claimed.length === 0) return total;
      const waiting = new Set(await redis.lrange(wakeKey, 0, -1));
      const orphans = claimed.filter((k) => !waiting.has(k));
      if (orphans.length > 0) await addDrains(orphans);
      total += orphans.length;
      if (claimed.length < 1000) return total;
    }
  }

  return {
    /** Drains whatever was left marked without a job, then starts the pump and the periodic sweep. */
    async start(): Promise<void> {
      if (loop) return;
      // A mark from a clock a little ahead is still taken; restamped after now, the sweep leaves it a while.
      const horizon = now() + 60_000;
      const recovered = await sweep(horizon, horizon);
      if (recovered > 0) log.info({ conversations: recovered }, 'ready conversations without a drain job recovered');
      blockedId = await blocking.client('ID');
      loop = run();
      timer = setInterval(() => {
        sweeping = sweeping
          .then(() => sweep(now() - staleAfterMs, now()))
          .then((n) => void (n > 0 && log.warn({ conversations: n }, 'stale ready conversations woken again')))
          .catch((err: unknown) => log.warn({ err }, 'ready sweep failed'));
      }, sweepEveryMs);
      timer.unref();
    },
    /** Stops taking wake entries; resolves once every entry taken has its drain job. */
    async close(): Promise<void> {
      closing = true;
      clearInterval(timer);
      if (loop) {
        // The blocked pop ends at its 1 s timeout at the latest; CLIENT UNBLOCK ends it at once
        // (as a timeout: nothing is taken).
        const id = blockedId;
        const unblock = () => (id === null ? Promise.resolve() : redis.client('UNBLOCK', id).then(() => undefined, () => undefined));
        // Again every 50 ms: the pump may be between two pops when the first one goes.
        const again = setInterval(() => void unblock(), 50);
        await unblock();
        await loop.finally(() => clearInterval(again));
      }
      await sweeping;
    },
  };
}

export type ReadyPump = ReturnType<typeof createReadyPump>;
