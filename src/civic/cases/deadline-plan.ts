/**
 * A case's deadlines as the commune keeps them (pure): the official told when given the case,
 * reminded half-way and a working day before the due date, and the case escalated at the due time
 * and then every working day until it is closed. jobs/case-schedule.ts turns these steps into
 * delayed jobs; nothing here knows of queues.
 */
import type { Calendar } from '../calendar/calendar';
import { addWorkingDays } from '../calendar/working-days';
import { CLOSED_CASE_STATUSES, type Case } from '../../store/ports/cases';

/** The assignee is told at once only when the assignment is this recent (a re-plan of an old case tells nobody). */
export const NOTIFY_WITHIN_MS = 24 * 3600_000;

// Escalation goes on a working day at a time; past this many, a forgotten case stops being counted day by day.
const MAX_ESCALATIONS = 400;

/** A step that belongs to one assignment of the case: void once the case changes hands. */
export interface AssignmentStep {
  type: 'assigned' | 'remind_half' | 'remind_day_before';
  assigneeId: string;
  /** when the assignee got the case: with the due date, names the assignment */
  given: number;
  at: number;
}

/** The n-th escalation of the case (n = 0 at the due time, then one a working day). */
export interface EscalationStep {
  type: 'overdue';
  n: number;
  at: number;
}

export type DeadlineStep = AssignmentStep | EscalationStep;

export interface PlanOptions {
  /** the escalation that just ran: the next one planned is at least the one after it */
  escalatedUpTo?: number;
}

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
 * What a case needs from now on: the assignee told now (a fresh assignment only); reminded at half
 * the time between filing and due date, and one working day before it (each only when still ahead);
 * escalated at the due time, then a working day later each time (the next one is planned when one
 * fires). Nothing for a closed case.
 */
export function planCaseDeadlines(c: Case, calendar: Calendar, now: number, opts: PlanOptions = {}): DeadlineStep[] {
  if (isClosed(c)) return [];
  const steps: DeadlineStep[] = [];
  if (c.assigneeId !== undefined) {
    const given = assignedAt(c);
    const add = (type: AssignmentStep['type'], at: number) => steps.push({ type, assigneeId: c.assigneeId as string, given, at });
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
  steps.push({ type: 'overdue', n, at });
  return steps;
}
