import type { JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** One delayed job an owner (a case, an appointment) should have: its id derives from what it is for. */
export interface PlannedJob<T> {
  id: string;
  name: string;
  data: T;
  /** ms from now */
  delay: number;
}

/**
 * The delayed jobs planned for each owner, with their ids kept in the Redis set `keyOf(ownerId)`, so
 * a re-plan in any process finds the old ones: case deadlines, appointment reminders, result dates.
 */
export interface PlannedJobs<T> {
  /**
   * Makes the owner's planned jobs exactly `wanted` (idempotent: same ids, same jobs), removing the
   * others unless `keep(id)` says the job is still in progress (e.g. an escalation chain).
   */
  replan(ownerId: string, wanted: PlannedJob<T>[], keep?: (id: string) => boolean): Promise<void>;
  /** Removes every job planned for the owner. */
  removeAll(ownerId: string): Promise<void>;
  /** A planned job has run: it is no longer one to remove on a re-plan. */
  forget(ownerId: string, jobId: string): Promise<void>;
  /** The ids planned for the owner and not yet run, sorted. */
  ids(ownerId: string): Promise<string[]>;
}

export function createPlannedJobs<T>(deps: { redis: Redis; queue: Queue; keyOf: (ownerId: string) => string; jobOptions: JobsOptions }): PlannedJobs<T> {
  const { redis, queue, keyOf, jobOptions } = deps;
  return {
    async replan(ownerId, wanted, keep) {
      const key = keyOf(ownerId);
      const wantedIds = new Set(wanted.map((j) => j.id));
      const stale = (await redis.smembers(key)).filter((id) => !wantedIds.has(id) && !keep?.(id));
      // An active job cannot be removed; its worker drops it because what it was for has changed.
      for (const id of stale) await queue.remove(id).catch(() => 0);
      if (wanted.length > 0) await queue.addBulk(wanted.map((j) => ({ name: j.name, data: j.data, opts: { ...jobOptions, jobId: j.id, delay: j.delay } })));
      const tx = redis.multi();
      if (stale.length > 0) tx.srem(key, ...stale);
      if (wanted.length > 0) tx.sadd(key, ...wantedIds);
      await tx.exec();
    },
    async removeAll(ownerId) {
      const key = keyOf(ownerId);
      for (const id of await redis.smembers(key)) await queue.remove(id).catch(() => 0);
      await redis.del(key);
    },
    async forget(ownerId, jobId) {
      await redis.srem(keyOf(ownerId), jobId);
    },
    async ids(ownerId) {
      return (await redis.smembers(keyOf(ownerId))).sort();
    },
  };
}
