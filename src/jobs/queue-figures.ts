import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES } from './queues';
import { APPOINTMENT_QUEUE } from './appointment-reminders';
import { CASE_QUEUE } from './case-schedule';
import { HANDOFF_QUEUE } from './handoff-jobs';
import { RESULT_DATE_QUEUE } from './result-date-jobs';

/** Every job queue of the application: the message path's three and the commune's four job families. */
export const ALL_QUEUES = [QUEUES.inbound, QUEUES.outbound, QUEUES.effects, CASE_QUEUE, HANDOFF_QUEUE, APPOINTMENT_QUEUE, RESULT_DATE_QUEUE] as const;

/** The job states reported per queue (BullMQ's names). */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;

/** The case-deadline job that escalates an overdue case (case-schedule: the job name is its data type). */
export const ESCALATION_JOB = 'overdue';

export interface FailedJobs {
  queue: string;
  count: number;
  /** how many of them escalated an overdue case */
  escalations: number;
}

/** What /metrics reads from the queues at scrape time: nothing here runs in a worker. */
export interface QueueFigures {
  depth(): Promise<{ queue: string; state: string; count: number }[]>;
  /**
   * Jobs that failed for good since the previous call (the first call: since this was created), per
   * queue. Read from each queue's failed set, whose scores are the failure times: every process
   * counts the same failures, so add them up with max(), not sum().
   */
  newFailures(): Promise<FailedJobs[]>;
}

/** Names read per call for the escalation count; a burst beyond it counts as failed jobs only. */
const NAMES_PER_CALL = 500;

/** `redis`: a connection to the queues' Redis, for the failed sets (ZCOUNT, names of the failed jobs). */
export function createQueueFigures(queues: Queue[], redis: Redis, { now = Date.now }: { now?: () => number } = {}): QueueFigures {
  const since = new Map<string, number>(queues.map((q) => [q.name, now()]));
  return {
    async depth() {
      const out: { queue: string; state: string; count: number }[] = [];
      await Promise.all(
        queues.map(async (q) => {
          const counts = await q.getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) out.push({ queue: q.name, state, count: counts[state] ?? 0 });
        }),
      );
      return out;
    },
    async newFailures() {
      return Promise.all(
        queues.map(async (q) => {
          const from = since.get(q.name) ?? now();
          const until = now();
          since.set(q.name, until);
          const failedKey = q.toKey('failed');
          const count = await redis.zcount(failedKey, `(${from}`, String(until));
          let escalations = 0;
          if (count > 0 && q.name === CASE_QUEUE) {
            const ids = await redis.zrangebyscore(failedKey, `(${from}`, String(until), 'LIMIT', 0, NAMES_PER_CALL);
            const names = await Promise.all(ids.map((id) => redis.hget(q.toKey(id), 'name')));
            escalations = names.filter((n) => n === ESCALATION_JOB).length;
          }
          return { queue: q.name, count, escalations };
        }),
      );
    },
  };
}
