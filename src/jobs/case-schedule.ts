import type { JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Calendar } from '../civic/calendar/calendar';
import { addWorkingDays } from '../civic/calendar/working-days';
import type { CaseNoticeKind } from '../civic/cases/notices';
import { CLOSED_CASE_STATUSES, type Case } from '../store/ports/cases';
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

/** The assignee is told at once only when the assignment is this recent (a re-plan of an old case tells nobody). */
export const NOTIFY_WITHIN_MS = 24 * 3600_000;

// Escalation goes on a working day at a time; past this many, a forgotten case stops being counted day by day.
const MAX_ESCALATIONS = 400;


export const caseJobId = {
  assignment: (d: Pick<AssignmentJobData, 'type' | 'caseId' | 'assigneeId' | 'dueAt'>, assignedAt: number) =>
    `case-${jobIdPart(d.caseId)}-${d.type.split('_').join('-')}-${jobIdPart(d.assigneeId)}-${assignedAt}-${d.dueAt}`,
  overdue: (caseId: string, dueAt: number, n: number) => `case-${jobIdPart(caseId)}-overdue-${dueAt}-${n}`,
  notice: (d: Omit<NoticeJobData, 'type' | 'done'>) => `case-${jobIdPart(d.caseId)}-notice-v${d.version}-${d.to}-${jobIdPart(d.officialId ?? 'none')}-${d.kind}`,
};

/** When the current assignee got the case: the latest assignment or transfer to them, else its filing. */
export function assignedAt(c: Case): number {
  for (let i = c.history.length - 1; i >= 0; i--) {
    const e = c.history[i];
    if ((e.what === 'assigned' || e.what === 'transferred') && e.officialId === c.assigneeId) return e.at;
  }
  return c.createdAt;
}

export function isClosed(c: Pick<Case, 'status'>): boolean {
  return CLOSED_CASE_STATUSES.includes(c.status);
}

/** The next escalation at or after `now`: n and its time, counting working days from dueAt. */
export function nextEscalation(calendar: Calendar, dueAt: number, now: number): { n: number; at: number } {
  let at = dueAt;
  let n = 0;
  while (at < now && n < MAX_ESCALATIONS) {
    at = addWorkingDays(calendar, at, 1);
    n++;
  }
  return { n, at };
}

/**
 * What a case needs from now on (pure): the assignee told now (a fresh assignment only); reminded at
 * half the time between filing and due date, and one working day before it (each only when still
 * ahead); escalated at the due time, then a working day later each time (the worker plans the next
 * one when one fires). Nothing for a closed case.
 */
export function planCaseJobs(c: Case, calendar: Calendar, now: number, opts: PlanOptions = {}): PlannedJob[] {
  if (isClosed(c)) return [];
  const jobs: PlannedJob[] = [];
  if (c.assigneeId !== undefined) {
    const given = assignedAt(c);
    const base = { caseId: c.id, assigneeId: c.assigneeId, dueAt: c.dueAt };
    const add = (type: AssignmentJobData['type'], at: number) =>
      jobs.push({ id: caseJobId.assignment({ type, ...base }, given), data: { type, ...base, at }, delay: Math.max(0, at - now) });
    if (now - given < NOTIFY_WITHIN_MS) add('assigned', now);
    const half = c.createdAt + Math.floor((c.dueAt - c.createdAt) / 2);
    const dayBefore = addWorkingDays(calendar, c.dueAt, -1);
    if (half > now && half < dayBefore) add('remind_half', half);
    if (dayBefore > now) add('remind_day_before', dayBefore);
  }
  let { n, at } = nextEscalation(calendar, c.dueAt, now);
  if (opts.escalatedUpTo !== undefined && n <= opts.escalatedUpTo) {
    n = opts.escalatedUpTo + 1;
    at = addWorkingDays(calendar, c.dueAt, n);
  }
  jobs.push({ id: caseJobId.overdue(c.id, c.dueAt, n), data: { type: 'overdue', caseId: c.id, dueAt: c.dueAt, n, at }, delay: Math.max(0, at - now) });
  return jobs;
}

export interface PlanOptions {
  /** the escalation that just ran: the next one planned is at least the one after it */
  escalatedUpTo?: number;
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
