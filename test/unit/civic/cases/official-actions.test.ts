import {
  acceptCase,
  addNote,
  assignCase,
  rejectCase,
  resolveCase,
  transferCase,
  type CaseOutcome,
} from '../../../../src/civic/cases';
import type { CaseStore } from '../../../../src/store/ports';
import { ASSIGNEE, BACKUP, T0, filed, official, supervisor, world } from './fixtures';

const MINUTE = 60_000;

async function refusal(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'no error',
    (e: unknown) => (e as { code?: string }).code ?? String(e),
  );
}

describe('assignCase', () => {
  it('when a supervisor assigns a received case, then it is assigned, the official and the citizen are told', async () => {
    const w = world({ routed: false });
    const c = await filed(w);
    const { case: after, notices } = await assignCase(w.deps, { caseId: c.id, assigneeId: 'can-bo-xay-dung', backupId: BACKUP, by: supervisor() });
    expect(after).toMatchObject({ status: 'assigned', assigneeId: 'can-bo-xay-dung', backupId: BACKUP, version: 2, updatedAt: T0 + MINUTE });
    expect(after.history.at(-1)).toEqual({ at: T0 + MINUTE, by: 'chu-tich', what: 'assigned', officialId: 'can-bo-xay-dung' });
    expect(notices).toEqual([
      { to: 'official', officialId: 'can-bo-xay-dung', kind: 'assigned' },
      { to: 'citizen', kind: 'status_changed' },
    ]);
  });

  it('when the escalation job reassigns an accepted case, then it goes back to assigned and the old assignee is told', async () => {
    const w = world();
    const c = await filed(w);
    await acceptCase(w.deps, { caseId: c.id, by: official(ASSIGNEE) });
    const { case: after, notices } = await assignCase(w.deps, { caseId: c.id, assigneeId: BACKUP, by: { kind: 'system' }, note: 'Quá hạn 2 ngày' });
    expect(after).toMatchObject({ status: 'assigned', assigneeId: BACKUP });
    // The backup became the assignee: they are no longer their own backup.
    expect(after).not.toHaveProperty('backupId');
    expect(after.history.at(-1)).toMatchObject({ by: 'system', what: 'assigned', officialId: BACKUP, note: 'Quá hạn 2 ngày' });
    expect(notices).toEqual([
      { to: 'official', officialId: BACKUP, kind: 'assigned' },
      { to: 'official', officialId: ASSIGNEE, kind: 'status_changed' },
      { to: 'citizen', kind: 'status_changed' },
    ]);
  });

  it('when an official who is not a supervisor assigns, then SUPERVISOR_ONLY and nothing changes', async () => {
    const w = world();
    const c = await filed(w);
    expect(await refusal(assignCase(w.deps, { caseId: c.id, assigneeId: 'someone', by: official(ASSIGNEE) }))).toBe('SUPERVISOR_ONLY');
    expect(await w.cases.get(c.id)).toEqual(c);
  });

  it('when the case is assigned to the official who already holds it, then ALREADY_ASSIGNED', async () => {
    const w = world();
    const c = await filed(w);
    expect(await refusal(assignCase(w.deps, { caseId: c.id, assigneeId: ASSIGNEE, by: supervisor() }))).toBe('ALREADY_ASSIGNED');
  });

  it('when the case id is unknown, then CASE_NOT_FOUND', async () => {
    const w = world();
    expect(await refusal(assignCase(w.deps, { caseId: 'nope', assigneeId: ASSIGNEE, by: supervisor() }))).toBe('CASE_NOT_FOUND');
  });

  it("when an official id is 'system' or 'citizen', then INVALID_CASE_INPUT: history could not tell them apart", async () => {
    const w = world();
    const c = await filed(w);
    expect(await refusal(assignCase(w.deps, { caseId: c.id, assigneeId: 'citizen', by: supervisor() }))).toBe('INVALID_CASE_INPUT');
  });
});

describe('acceptCase', () => {
  it('when the assignee accepts, then the case is in progress and the citizen is told', async () => {
    const w = world();
    const c = await filed(w);
    const { case: after, notices } = await acceptCase(w.deps, { caseId: c.id, by: official(ASSIGNEE) });
    expect(after.status).toBe('in_progress');
    expect(after.history.at(-1)).toEqual({ at: T0 + MINUTE, by: ASSIGNEE, what: 'accepted' });
    expect(notices).toEqual([{ to: 'citizen', kind: 'status_changed' }]);
  });

  it('when the backup, a supervisor or another official accepts, then CASE_NOT_YOURS: accepting is the assignee’s own', async () => {
    const w = world();
    const c = await filed(w);
    for (const by of [official(BACKUP), supervisor(), official('someone-else'), { kind: 'system' as const }]) {
      expect(await refusal(acceptCase(w.deps, { caseId: c.id, by }))).toBe('CASE_NOT_YOURS');
    }
  });

  it('when a case already in progress is accepted again, then TRANSITION_NOT_ALLOWED', async () => {
    const w = world();
    const c = await filed(w);
    await acceptCase(w.deps, { caseId: c.id, by: official(ASSIGNEE) });
    expect(await refusal(acceptCase(w.deps, { caseId: c.id, by: official(ASSIGNEE) }))).toBe('TRANSITION_NOT_ALLOWED');
  });

  it('when a received case nobody holds is accepted, then TRANSITION_NOT_ALLOWED', async () => {
    const w = world({ routed: false });
    const c = await filed(w);
    expect(await refusal(acceptCase(w.deps, { caseId: c.id, by: official(ASSIGNEE) }))).toBe('TRANSITION_NOT_ALLOWED');
  });
});

describe('addNote', () => {
  it('when the assignee, the backup or a supervisor adds a note, then it is appended with no notices and the status stays', async () => {
    const w = world();
    const c = await filed(w);
    const results: CaseOutcome[] = [];
    for (const by of [official(ASSIGNEE), official(BACKUP), supervisor()]) {
      results.push(await addNote(w.deps, { caseId: c.id, by, note: `Ghi chú của ${by.kind === 'official' ? by.officialId : ''}` }));
    }
    const last = results.at(-1)!.case;
    expect(last.status).toBe('assigned');
    expect(last.history.slice(2).map((e) => [e.by, e.what])).toEqual([
      [ASSIGNEE, 'note'],
      [BACKUP, 'note'],
      ['chu-tich', 'note'],
    ]);
    expect(results.every((r) => r.notices.length === 0)).toBe(true);
  });

  it('when another official adds a note, then CASE_NOT_YOURS', async () => {
    const w = world();
    const c = await filed(w);
    expect(await refusal(addNote(w.deps, { caseId: c.id, by: official('someone-else'), note: 'x' }))).toBe('CASE_NOT_YOURS');
  });

  it('when the note is blank, then INVALID_CASE_INPUT', async () => {
    const w = world();
    const c = await filed(w);
    expect(await refusal(addNote(w.deps, { caseId: c.id, by: official(ASSIGNEE), note: '   ' }))).toBe('INVALID_CASE_INPUT');
  });
});

describe('resolveCase', () => {
  it('when the assignee answers, then the case is resolved with the answer and the citizen gets it and a rating request', async () => {
    const w = world();
    const c = await filed(w);
    await acceptCase(w.deps, { caseId: c.id, by: official(ASSIGNEE) });
    w.clock.advance(MINUTE);
    const { case: after, notices } = await resolveCase(w.deps, { caseId: c.id, by: official(ASSIGNEE), answer: 'Đã mời hai hộ lên hòa giải ngày 5/3.' });
    expect(after).toMatchObject({ status: 'resolved', resolution: { answer: 'Đã mời hai hộ lên hòa giải ngày 5/3.', by: ASSIGNEE, at: T0 + 2 * MINUTE } });
    expect(after.history.map((e) => e.what)).toEqual(['received', 'assigned', 'accepted', 'resolved']);
    expect(notices).toEqual([
      { to: 'citizen', kind: 'resolved' },
      { to: 'citizen', kind: 'rate_request' },
    ]);
  });

  it('when the backup answers for the assignee, then the assignee is told too', async () => {
    const w = world();
    const c = await filed(w);
    const { notices } = await resolveCase(w.deps, { caseId: c.id, by: official(BACKUP), answer: 'Đã xử lý.' });
    expect(notices).toContainEqual({ to: 'official', officialId: ASSIGNEE, kind: 'status_changed' });
  });

  it('when the case is resolved already, then resolving, rejecting, noting, assigning or transferring it is CASE_CLOSED', async () => {
    const w = world();
    const c = await filed(w);
    await resolveCase(w.deps, { caseId: c.id, by: official(ASSIGNEE), answer: 'Đã xử lý.' });
    const before = await w.cases.get(c.id);
    expect(await refusal(resolveCase(w.deps, { caseId: c.id, by: official(ASSIGNEE), answer: 'Lần nữa' }))).toBe('CASE_CLOSED');
    expect(await refusal(rejectCase(w.deps, { caseId: c.id, by: official(ASSIGNEE), reason: 'x' }))).toBe('CASE_CLOSED');
    expect(await refusal(addNote(w.deps, { caseId: c.id, by: official(ASSIGNEE), note: 'x' }))).toBe('CASE_CLOSED');
    expect(await refusal(assignCase(w.deps, { caseId: c.id, assigneeId: 'x', by: supervisor() }))).toBe('CASE_CLOSED');
    expect(await refusal(transferCase(w.deps, { caseId: c.id, toOfficialId: 'x', by: official(ASSIGNEE) }))).toBe('CASE_CLOSED');
    expect(await w.cases.get(c.id)).toEqual(before);
  });

  it('when a transferred case is resolved before the new holder accepts it, then TRANSITION_NOT_ALLOWED', async () => {
    const w = world();
    const c = await filed(w);
    await transferCase(w.deps, { caseId: c.id, toOfficialId: 'cong-an-xa', by: official(ASSIGNEE) });
    expect(await refusal(resolveCase(w.deps, { caseId: c.id, by: official('cong-an-xa'), answer: 'x' }))).toBe('TRANSITION_NOT_ALLOWED');
  });

  it('when someone who does not handle the case answers, then CASE_NOT_YOURS', async () => {
    const w = world();
    const c = await filed(w);
    expect(await refusal(resolveCase(w.deps, { caseId: c.id, by: official('someone-else'), answer: 'x' }))).toBe('CASE_NOT_YOURS');
  });
});

describe('rejectCase', () => {
  it('when the assignee rejects with a reason, then the case is rejected, the reason kept and the citizen told', async () => {
    const w = world();
    const c = await filed(w);
    const reason = 'Việc thuộc thẩm quyền Tòa án; xin ông/bà gửi đơn ra Tòa án nhân dân khu vực.';
    const { case: after, notices } = await rejectCase(w.deps, { caseId: c.id, by: official(ASSIGNEE), reason });
    expect(after).toMatchObject({ status: 'rejected', resolution: { answer: reason, by: ASSIGNEE, at: T0 + MINUTE } });
    expect(after.history.at(-1)).toEqual({ at: T0 + MINUTE, by: ASSIGNEE, what: 'rejected', note: reason });
    expect(notices).toEqual([{ to: 'citizen', kind: 'status_changed' }]);
  });

  it('when a received case nobody holds is rejected, then only a supervisor may do it', async () => {
    const w = world({ routed: false });
    const c = await filed(w);
    expect(await refusal(rejectCase(w.deps, { caseId: c.id, by: official(ASSIGNEE), reason: 'Trùng' }))).toBe('CASE_NOT_YOURS');
    const { case: after } = await rejectCase(w.deps, { caseId: c.id, by: supervisor(), reason: 'Trùng với PA-22222' });
    expect(after.status).toBe('rejected');
  });

  it('when the reason is missing, then INVALID_CASE_INPUT', async () => {
    const w = world();
    const c = await filed(w);
    expect(await refusal(rejectCase(w.deps, { caseId: c.id, by: official(ASSIGNEE), reason: '' }))).toBe('INVALID_CASE_INPUT');
  });
});

describe('transferCase', () => {
  it('when the assignee transfers to another official, then that official holds it as transferred, must accept, and the due date stays', async () => {
    const w = world();
    const c = await filed(w);
    await acceptCase(w.deps, { caseId: c.id, by: official(ASSIGNEE) });
    const { case: after, notices } = await transferCase(w.deps, { caseId: c.id, toOfficialId: 'cong-an-xa', by: official(ASSIGNEE), note: 'Việc cư trú' });
    expect(after).toMatchObject({ status: 'transferred', assigneeId: 'cong-an-xa', backupId: BACKUP, dueAt: c.dueAt });
    expect(after.history.at(-1)).toEqual({ at: T0 + MINUTE, by: ASSIGNEE, what: 'transferred', officialId: 'cong-an-xa', note: 'Việc cư trú' });
    expect(notices).toEqual([
      { to: 'official', officialId: 'cong-an-xa', kind: 'assigned' },
      { to: 'citizen', kind: 'status_changed' },
    ]);
    const { case: accepted } = await acceptCase(w.deps, { caseId: c.id, by: official('cong-an-xa') });
    expect(accepted.status).toBe('in_progress');
    // The one who passed it on no longer handles it.
    expect(await refusal(addNote(w.deps, { caseId: c.id, by: official(ASSIGNEE), note: 'x' }))).toBe('CASE_NOT_YOURS');
  });

  it('when a supervisor transfers it, then the assignee is told as well', async () => {
    const w = world();
    const c = await filed(w);
    const { notices } = await transferCase(w.deps, { caseId: c.id, toOfficialId: 'cong-an-xa', by: supervisor() });
    expect(notices).toContainEqual({ to: 'official', officialId: ASSIGNEE, kind: 'status_changed' });
  });

  it('when transferred to the official who holds it, then ALREADY_ASSIGNED', async () => {
    const w = world();
    const c = await filed(w);
    expect(await refusal(transferCase(w.deps, { caseId: c.id, toOfficialId: ASSIGNEE, by: official(ASSIGNEE) }))).toBe('ALREADY_ASSIGNED');
  });

  it('when a received case is transferred, then TRANSITION_NOT_ALLOWED: it must be assigned first', async () => {
    const w = world({ routed: false });
    const c = await filed(w);
    expect(await refusal(transferCase(w.deps, { caseId: c.id, toOfficialId: 'x', by: supervisor() }))).toBe('TRANSITION_NOT_ALLOWED');
  });
});

describe('concurrent changes', () => {
  it('when resolve and reject race, then one wins and the other is refused as CASE_CLOSED against the fresh case', async () => {
    const w = world();
    const c = await filed(w);
    const results = await Promise.allSettled([
      resolveCase(w.deps, { caseId: c.id, by: official(ASSIGNEE), answer: 'Đã xử lý.' }),
      rejectCase(w.deps, { caseId: c.id, by: official(BACKUP), reason: 'Trùng' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused?.reason).toMatchObject({ name: 'CaseRuleError', code: 'CASE_CLOSED' });
    expect((await w.cases.get(c.id))?.history).toHaveLength(3);
  });

  it('when another writer changes the case between read and write, then the rules are checked again on the new version', async () => {
    const w = world();
    const c = await filed(w);
    // A store whose first read is followed by someone else's note, as if it happened in between.
    let interfered = false;
    const racing: CaseStore = Object.create(w.cases) as CaseStore;
    racing.get = async (id) => {
      const read = await w.cases.get(id);
      if (!interfered) {
        interfered = true;
        await w.cases.update(id, {}, { at: T0, by: BACKUP, what: 'note', note: 'in between' });
      }
      return read;
    };
    const { case: after } = await acceptCase({ cases: racing, now: w.clock.now }, { caseId: c.id, by: official(ASSIGNEE) });
    expect(after.status).toBe('in_progress');
    expect(after.version).toBe(3);
    expect(after.history.map((e) => e.what)).toEqual(['received', 'assigned', 'note', 'accepted']);
  });
});
