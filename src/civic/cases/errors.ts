/** Why a case action was refused. Stable strings: flows, the admin API and locales key on them. */
export const CASE_RULE_CODES = [
  /** no case with that id or code, or not the asker's own (the two are never told apart to a citizen) */
  'CASE_NOT_FOUND',
  /** the acting official is neither the assignee nor the backup nor a supervisor */
  'CASE_NOT_YOURS',
  /** only a supervisor (or the system) may do this */
  'SUPERVISOR_ONLY',
  /** the case is resolved or rejected: nothing more may change but a rating */
  'CASE_CLOSED',
  /** the action is not allowed from the case's current status (see CASE_TRANSITIONS) */
  'TRANSITION_NOT_ALLOWED',
  /** assigned or transferred to the official who already holds it */
  'ALREADY_ASSIGNED',
  /** the citizen already rated this case */
  'ALREADY_RATED',
  /** the input failed validation; `details.issues` lists each field and problem */
  'INVALID_CASE_INPUT',
] as const;

export type CaseRuleCode = (typeof CASE_RULE_CODES)[number];

/** One field that failed validation: its dotted path and a stable problem word (e.g. 'too_short'). */
export interface CaseInputIssue {
  field: string;
  problem: string;
}

/**
 * A case rule refused the action. Like AppError, it carries a stable `code`; the edge that shows it
 * (a flow's action result, the admin API) chooses the words and the HTTP status. Matched by `name`
 * after it has crossed a queue (`isCaseRuleError`).
 */
export class CaseRuleError extends Error {
  override readonly name = 'CaseRuleError';
  constructor(
    readonly code: CaseRuleCode,
    message?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? code);
  }
}

export function isCaseRuleError(e: unknown): e is CaseRuleError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'CaseRuleError' && 'code' in e;
}

export function invalidCaseInput(issues: CaseInputIssue[]): CaseRuleError {
  const fields = issues.map((i) => `${i.field}: ${i.problem}`).join('; ');
  return new CaseRuleError('INVALID_CASE_INPUT', `invalid case input (${fields})`, { issues });
}
