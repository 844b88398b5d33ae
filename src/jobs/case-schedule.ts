import type { JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Calendar } from '../civic/calendar/calendar';
import { isClosed, planCaseDeadlines, type PlanOptions } from '../civic/cases/deadline-plan';
import type { CaseNoticeKind } from '../civic/cases/notices';
import type { Case } from '../store/ports/cases';
import { jobIdPart } from './queues';
import { createPlannedJobs } from './planned-jobs';

/** The queue of a case's deadline jobs and of the notices its changes produce. */
export const CASE_QUEUE = 'case-deadlines';

/** A job that belongs to one assignment of one case: dropped when the case changed hands since. */
export interface AssignmentJobData {
  type: 'assigned' | 'remind_half' | 'remind_day_before';
  caseId: string;
  assigneeId: string;
  dueAt: number;
  /** when it was planned to fire (ms) */
  at: number;
}

/** The n-th escalation of an overdue case (n = 0 at the due time, then one a working day). */
export interface OverdueJobData {
  type: 'overdue';
  caseId: string;
  dueAt: number;
  n: number;
  at: number;
  /** the officials already told, so a retry does not tell them twice */
  done?: string[];
}

/** One notice a case action returned (civic/cases/notices.ts), delivered once. */
export interface NoticeJobData {
  type: 'notice';
  caseId: string;
  /** the case version the action left: part of the job id */
  version: number;
  to: 'official' | 'citizen' | 'supervisor';
  officialId?: string;
  kind: CaseNoticeKind;
  done?: string[];
}

export type CaseJobData = AssignmentJobData | OverdueJobData | NoticeJobData;

export interface PlannedJob {
  id: string;
  data: CaseJobData;
  /** ms from now */
  delay: number;
}

/**
 * Retries with the jittered backoff of the worker. Completed jobs stay a week: their ids dedupe a
 * repeated planCase (e.g. after a crash), so an assignee is not told twice.
 */
export const CASE_JOB: JobsOptions = {
  attempts: 6,
  backoff: { type: 'jitter' },
  removeOnComplete: { age: 7 * 24 * 3600, count: 500_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export const caseJobId = {
  assignment: (d: Pick<AssignmentJobData, 'type' | 'caseId' | 'assigneeId' | 'dueAt'>, assignedAt: number) =>
    `case-${jobIdPart(d.caseId)}-${d.type.split('_').join('-')}-${jobIdPart(d.assigneeId)}-${assignedAt}-${d.dueAt}`,
  overdue: (caseId: string, dueAt: number, n: number) => `case-${jobIdPart(caseId)}-overdue-${dueAt}-${n}`,
  notice: (d: Omit<NoticeJobData, 'type' | 'done'>) => `case-${jobIdPart(d.caseId)}-notice-v${d.version}-${d.to}-${jobIdPart(d.officialId ?? 'none')}-${d.kind}`,
};

/** The case's deadline steps (civic/cases/deadline-plan.ts) as delayed jobs with their ids. */
export function planCaseJobs(c: Case, calendar: Calendar, now: number, opts: PlanOptions = {}): PlannedJob[] {
  return planCaseDeadlines(c, calendar, now, opts).map((step): PlannedJob => {
    const delay = Math.max(0, step.at - now);
    if (step.type === 'overdue') return { id: caseJobId.overdue(c.id, c.dueAt, step.n), data: { type: 'overdue', caseId: c.id, dueAt: c.dueAt, n: step.n, at: step.at }, delay };
    const data: AssignmentJobData = { type: step.type, caseId: c.id, assigneeId: step.assigneeId, dueAt: c.dueAt, at: step.at };
    return { id: caseJobId.assignment(data, step.given), data, delay };
  });
}

export interface CaseScheduler {
  /**
   * Plans (or re-plans) the jobs of a case as it is now stored: idempotent (job ids are derived
   * from the case, its assignment and its due date); delayed jobs planned for an earlier assignee
   * or due date are removed; a closed case keeps nothing.
   */
  planCase(c: Case, opts?: PlanOptions): Promise<PlannedJob[]>;
  /** Enqueues the notices a case action returned, once each (ids from the case version). */
  enqueueNotices(c: Case, notices: { to: NoticeJobData['to']; officialId?: string; kind: CaseNoticeKind }[]): Promise<void>;
  /** A planned job has run: it is no longer one to remove on a re-plan. */
  forget(caseId: string, jobId: string): Promise<void>;
  /** The ids of the jobs planned for a case and not yet run. */
  plannedIds(caseId: string): Promise<string[]>;
}

/**
 * Plans the deadline jobs of cases on `queue` (CASE_QUEUE). The ids planned per case are kept in
 * the Redis set `${prefix}:case-jobs:${caseId}`, so a re-plan finds the old ones in any process.
 */
export function createCaseScheduler(deps: {
  queue: Queue;
  /** for the sets of planned ids: BullMQ's own client is not typed as ioredis */
  redis: Redis;
  calendar: Calendar;
  /** default Date.now */
  now?: () => number;
}): CaseScheduler {
  const { queue, redis, calendar, now = Date.now } = deps;
  const prefix = queue.opts.prefix ?? 'bull';
  const planned = createPlannedJobs<CaseJobData>({ redis, queue, keyOf: (caseId) => `${prefix}:case-jobs:${caseId}`, jobOptions: CASE_JOB });

  return {
    async planCase(c, opts = {}) {
      const wanted = planCaseJobs(c, calendar, now(), opts);
      // An escalation of the same due date that has not run yet stays: it is the chain in progress.
      const chain = isClosed(c) ? null : `case-${jobIdPart(c.id)}-overdue-${c.dueAt}-`;
      await planned.replan(
        c.id,
        wanted.map((j) => ({ id: j.id, name: j.data.type, data: j.data, delay: j.delay })),
        (id) => chain !== null && id.startsWith(chain),
      );
      return wanted;
    },
    async enqueueNotices(c, notices) {
      if (notices.length === 0) return;
      await queue.addBulk(
        notices.map((n) => {
          const data: NoticeJobData = { type: 'notice', caseId: c.id, version: c.version, to: n.to, kind: n.kind, ...(n.officialId ? { officialId: n.officialId } : {}) };
          return { name: 'notice', data, opts: { ...CASE_JOB, jobId: caseJobId.notice(data) } };
        }),
      );
    },
    forget: (caseId, jobId) => planned.forget(caseId, jobId),
    plannedIds: (caseId) => planned.ids(caseId),
  };
}
