import { addWorkingDays } from '../../src/civic/calendar/working-days';
import { nextEscalation } from '../../src/civic/cases/deadline-plan';
import { caseJobId, planCaseJobs } from '../../src/jobs/case-schedule';
import type { Case } from '../../src/store/ports';
import { shippedCalendar, vn } from './civic/calendar/shipped-calendar';

const calendar = shippedCalendar();
const createdAt = vn('2026-03-06T09:00');
const dueAt = vn('2026-03-20T17:00');

function aCase(patch: Partial<Case> = {}): Case {
  return {
    id: 'c1', code: 'PA-7K3M9', kind: 'petition', petitionType: 'feedback', category: 'land', village: 'Thôn Đông', content: '…', attachments: [],
    channel: 'zalo', userId: 'u1', status: 'assigned', assigneeId: 'dia-chinh-1', dueAt, createdAt, updatedAt: createdAt, version: 2,
    history: [{ at: createdAt, by: 'citizen', what: 'received' }, { at: createdAt, by: 'system', what: 'assigned', officialId: 'dia-chinh-1' }],
    ...patch,
  };
}

const plan = (c: Case, now: number) => planCaseJobs(c, calendar, now).map((j) => ({ type: j.data.type, at: 'at' in j.data ? j.data.at : undefined, delay: j.delay }));

describe('planning a case', () => {
  test('when a case was just assigned, then: tell now, remind at half time and a working day before, escalate at the due time', () => {
    const now = createdAt + 60_000;
    expect(plan(aCase(), now)).toEqual([
      { type: 'assigned', at: now, delay: 0 },
      { type: 'remind_half', at: vn('2026-03-13T13:00'), delay: vn('2026-03-13T13:00') - now },
      { type: 'remind_day_before', at: vn('2026-03-19T17:00'), delay: vn('2026-03-19T17:00') - now },
      { type: 'overdue', at: dueAt, delay: dueAt - now },
    ]);
  });

  test('when the assignment is older than a day, then nobody is told again; reminders already past are left out', () => {
    expect(plan(aCase(), vn('2026-03-16T08:00')).map((j) => j.type)).toEqual(['remind_day_before', 'overdue']);
  });

  test('when the case is overdue, then the next escalation is the next working-day step after now (a weekend skipped)', () => {
    const jobs = planCaseJobs(aCase(), calendar, vn('2026-03-20T18:00'));
    expect(jobs.map((j) => j.data)).toEqual([{ type: 'overdue', caseId: 'c1', dueAt, n: 1, at: vn('2026-03-23T17:00') }]);
    expect(nextEscalation(calendar, dueAt, vn('2026-03-24T09:00'))).toEqual({ n: 2, at: vn('2026-03-24T17:00') });
    expect(planCaseJobs(aCase(), calendar, vn('2026-03-20T16:00'), { escalatedUpTo: 0 }).at(-1)?.data).toMatchObject({ n: 1, at: addWorkingDays(calendar, dueAt, 1) });
  });

  test('when the case is closed, then nothing is planned', () => {
    expect(plan(aCase({ status: 'resolved' }), createdAt)).toEqual([]);
    expect(plan(aCase({ status: 'rejected' }), createdAt)).toEqual([]);
  });

  test('when nobody holds the case, then only the escalation is planned', () => {
    expect(plan(aCase({ status: 'received', assigneeId: undefined }), createdAt).map((j) => j.type)).toEqual(['overdue']);
  });

  test('job ids are stable for the same case and assignment, change with the assignee or due date, and never contain ":"', () => {
    const now = createdAt + 60_000;
    const ids = (c: Case) => planCaseJobs(c, calendar, now).map((j) => j.id);
    expect(ids(aCase())).toEqual(ids(aCase()));
    const handed = aCase({ assigneeId: 'vh-2', history: [...aCase().history, { at: now, by: 'ct-1', what: 'assigned', officialId: 'vh-2' }] });
    expect(ids(handed).filter((id) => ids(aCase()).includes(id))).toEqual([caseJobId.overdue('c1', dueAt, 0)]);
    expect(ids(aCase({ dueAt: dueAt + 86_400_000 })).some((id) => ids(aCase()).includes(id))).toBe(false);
    expect(ids(aCase({ id: 'a:b', assigneeId: 'x:y' })).every((id) => !id.includes(':'))).toBe(true);
  });
});
