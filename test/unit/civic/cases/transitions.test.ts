import { CASE_TRANSITIONS, CaseRuleError, statusAfter, type CaseAction } from '../../../../src/civic/cases';
import { CASE_STATUSES, type CaseStatus } from '../../../../src/store/ports/cases';

// The whole table, written out: a change to the rules must change this test too.
const EXPECTED: Record<CaseAction, Partial<Record<CaseStatus, CaseStatus>>> = {
  assign: { received: 'assigned', assigned: 'assigned', in_progress: 'assigned', transferred: 'assigned' },
  accept: { assigned: 'in_progress', transferred: 'in_progress' },
  transfer: { assigned: 'transferred', in_progress: 'transferred', transferred: 'transferred' },
  resolve: { assigned: 'resolved', in_progress: 'resolved' },
  reject: { received: 'rejected', assigned: 'rejected', in_progress: 'rejected', transferred: 'rejected' },
  note: { received: 'received', assigned: 'assigned', in_progress: 'in_progress', transferred: 'transferred' },
  rate: { resolved: 'resolved', rejected: 'rejected' },
};

const cells = (Object.keys(CASE_TRANSITIONS) as CaseAction[]).flatMap((action) => CASE_STATUSES.map((status) => [action, status] as const));

describe('case status transitions', () => {
  it.each(cells)('%s from %s', (action, status) => {
    const expected = EXPECTED[action][status];
    if (expected) {
      expect(statusAfter({ status }, action)).toBe(expected);
      return;
    }
    let thrown: unknown;
    try {
      statusAfter({ status }, action);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(CaseRuleError);
    const closed = status === 'resolved' || status === 'rejected';
    expect(thrown).toMatchObject({ name: 'CaseRuleError', code: closed ? 'CASE_CLOSED' : 'TRANSITION_NOT_ALLOWED', details: { action, status } });
  });
});
