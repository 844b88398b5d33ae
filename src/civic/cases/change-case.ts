import { isCaseVersionConflict, type Case, type CaseEvent, type CasePatch, type CaseStore } from '../../store/ports/cases';
import { CaseRuleError } from './errors';
import type { CaseNotice, CaseOutcome } from './notices';

/** What every action on an existing case needs: the store and the clock. */
export interface CaseDeps {
  cases: CaseStore;
  now(): number;
}

/** What a use case decided, having checked its rules against the case as read. */
export interface CaseChange {
  patch: CasePatch;
  event: CaseEvent;
  notices: CaseNotice[];
}

/** Times a change is decided again after another writer got in first; then the conflict is thrown. */
const ATTEMPTS = 3;

/**
 * Reads the case, lets `decide` check the rules on it (throwing a CaseRuleError to refuse) and say
 * what changes, then writes with the version it read. When someone else changed the case in between,
 * it reads and decides again, so a rule is never checked against a stale case.
 */
export async function changeCase(
  cases: CaseStore,
  load: () => Promise<Case | null>,
  decide: (c: Case) => CaseChange,
): Promise<CaseOutcome> {
  for (let attempt = 1; ; attempt++) {
    const current = await load();
    if (!current) throw new CaseRuleError('CASE_NOT_FOUND', 'no such case');
    const { patch, event, notices } = decide(current);
    try {
      const updated = await cases.update(current.id, patch, event, current.version);
      if (!updated) throw new CaseRuleError('CASE_NOT_FOUND', 'no such case');
      return { case: updated, notices };
    } catch (e) {
      if (!isCaseVersionConflict(e) || attempt >= ATTEMPTS) throw e;
    }
  }
}
