import { CASE_STATUSES, CLOSED_CASE_STATUSES, type Case, type CaseStatus } from '../../store/ports/cases';
import { CaseRuleError } from './errors';

export type CaseAction = 'assign' | 'accept' | 'note' | 'resolve' | 'reject' | 'transfer' | 'rate';

/** Statuses in which a case still needs work. */
export const OPEN_CASE_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter((s) => !CLOSED_CASE_STATUSES.includes(s));

/**
 * Which action may happen in which status, and the status it leaves (null: unchanged).
 * assign (a supervisor or the routing): any open status -> assigned; the new assignee must accept.
 * accept (the assignee): assigned or transferred -> in_progress.
 * transfer (the one handling it): to another official, who must accept; the deadline keeps running.
 * resolve: once an official holds it. reject: any open status, with a reason.
 * note: any open status. rate (the citizen): once it is closed.
 */
export const CASE_TRANSITIONS: Record<CaseAction, { from: readonly CaseStatus[]; to: CaseStatus | null }> = {
  assign: { from: OPEN_CASE_STATUSES, to: 'assigned' },
  accept: { from: ['assigned', 'transferred'], to: 'in_progress' },
  transfer: { from: ['assigned', 'in_progress', 'transferred'], to: 'transferred' },
  resolve: { from: ['assigned', 'in_progress'], to: 'resolved' },
  reject: { from: OPEN_CASE_STATUSES, to: 'rejected' },
  note: { from: OPEN_CASE_STATUSES, to: null },
  rate: { from: CLOSED_CASE_STATUSES, to: null },
};

/**
 * The status the case will have after `action`; throws CASE_CLOSED when a closed case is asked to
 * change, TRANSITION_NOT_ALLOWED when the action does not fit the current status.
 */
export function statusAfter(c: Pick<Case, 'status'>, action: CaseAction): CaseStatus {
  const rule = CASE_TRANSITIONS[action];
  if (rule.from.includes(c.status)) return rule.to ?? c.status;
  const details = { action, status: c.status };
  if (CLOSED_CASE_STATUSES.includes(c.status)) throw new CaseRuleError('CASE_CLOSED', `case is ${c.status}: cannot ${action}`, details);
  throw new CaseRuleError('TRANSITION_NOT_ALLOWED', `cannot ${action} a case that is ${c.status}`, details);
}
