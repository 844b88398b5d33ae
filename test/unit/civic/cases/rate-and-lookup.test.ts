import { lookupCase, rateCase, resolveCase, rejectCase } from '../../../../src/civic/cases';
import { ASSIGNEE, CITIZEN, DAY, T0, filed, official, world } from './fixtures';

const MINUTE = 60_000;

async function refusal(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'no error',
    (e: unknown) => (e as { code?: string }).code ?? String(e),
  );
}

describe('lookupCase', () => {
  it('when the person who filed it asks, then they get the summary without officials, notes or contact details', async () => {
    const w = world();
    const c = await filed(w);
    const result = await lookupCase(w.cases, c.code, CITIZEN);
    expect(result).toEqual({
      found: true,
      summary: {
        code: c.code,
        kind: 'petition',
        category: 'land',
        village: 'Thôn Phú Lộc',
        status: 'assigned',
        receivedAt: T0,
        dueAt: T0 + 10 * DAY,
        updatedAt: T0,
        rated: false,
      },
    });
    const text = JSON.stringify(result);
    for (const secret of [ASSIGNEE, '+84912345678', 'Lê Văn Tám', c.id]) expect(text).not.toContain(secret);
  });

  it('when the code is typed loosely (lower case, spaces, no dash), then it is still found', async () => {
    const w = world();
    const c = await filed(w);
    const typed = ` ${c.code.toLowerCase().replace('-', ' ')} `;
    expect(await lookupCase(w.cases, typed, CITIZEN)).toMatchObject({ found: true, summary: { code: c.code } });
  });

  it('when the case was answered, then the summary carries the answer', async () => {
    const w = world();
    const c = await filed(w);
    await resolveCase(w.deps, { caseId: c.id, by: official(ASSIGNEE), answer: 'Đã xử lý xong.' });
    expect(await lookupCase(w.cases, c.code, CITIZEN)).toMatchObject({
      found: true,
      summary: { status: 'resolved', answer: { text: 'Đã xử lý xong.', at: T0 + MINUTE } },
    });
  });

  it('when someone else asks for a real code, then the answer is exactly the one for an unknown code', async () => {
    const w = world();
    const c = await filed(w);
    const unknown = await lookupCase(w.cases, 'PA-22222', CITIZEN);
    const answers = await Promise.all([
      lookupCase(w.cases, c.code, { channel: 'zalo', userId: 'zalo-user-2' }),
      // The same user id on another channel is another person.
      lookupCase(w.cases, c.code, { channel: 'messenger', userId: CITIZEN.userId }),
      lookupCase(w.cases, 'not a code at all', CITIZEN),
      lookupCase(w.cases, '', CITIZEN),
    ]);
    expect(unknown).toStrictEqual({ found: false });
    for (const answer of answers) expect(answer).toStrictEqual(unknown);
  });
});

describe('rateCase', () => {
  async function resolvedCase() {
    const w = world();
    const c = await filed(w);
    await resolveCase(w.deps, { caseId: c.id, by: official(ASSIGNEE), answer: 'Đã xử lý xong.' });
    w.clock.advance(DAY);
    return { w, c };
  }

  it('when the filer rates a resolved case, then the rating is kept with the trips and comment, and history says so', async () => {
    const { w, c } = await resolvedCase();
    const { case: after, notices } = await rateCase(w.deps, { code: c.code, asker: CITIZEN, score: 4, comment: ' Cán bộ nhiệt tình ', trips: 1 });
    expect(after.rating).toEqual({ score: 4, comment: 'Cán bộ nhiệt tình', trips: 1, at: T0 + MINUTE + DAY });
    expect(after.status).toBe('resolved');
    expect(after.history.at(-1)).toEqual({ at: T0 + MINUTE + DAY, by: 'citizen', what: 'rated' });
    expect(notices).toEqual([]);
    expect(await lookupCase(w.cases, c.code, CITIZEN)).toMatchObject({ summary: { rated: true } });
  });

  it('when a rejected case is rated, then it is kept too: the rejection is a result the citizen may judge', async () => {
    const w = world();
    const c = await filed(w);
    await rejectCase(w.deps, { caseId: c.id, by: official(ASSIGNEE), reason: 'Không thuộc thẩm quyền xã.' });
    const { case: after } = await rateCase(w.deps, { code: c.code, asker: CITIZEN, score: 2 });
    expect(after.rating).toEqual({ score: 2, at: T0 + MINUTE });
  });

  it('when the filer rates twice, then ALREADY_RATED and the first rating stays', async () => {
    const { w, c } = await resolvedCase();
    await rateCase(w.deps, { code: c.code, asker: CITIZEN, score: 5 });
    expect(await refusal(rateCase(w.deps, { code: c.code, asker: CITIZEN, score: 1 }))).toBe('ALREADY_RATED');
    expect((await w.cases.get(c.id))?.rating?.score).toBe(5);
  });

  it('when someone else rates the case, then CASE_NOT_FOUND, as for an unknown code', async () => {
    const { w, c } = await resolvedCase();
    expect(await refusal(rateCase(w.deps, { code: c.code, asker: { channel: 'zalo', userId: 'zalo-user-2' }, score: 1 }))).toBe('CASE_NOT_FOUND');
    expect(await refusal(rateCase(w.deps, { code: 'PA-22222', asker: CITIZEN, score: 1 }))).toBe('CASE_NOT_FOUND');
    expect((await w.cases.get(c.id))?.rating).toBeUndefined();
  });

  it('when the case is still open, then TRANSITION_NOT_ALLOWED', async () => {
    const w = world();
    const c = await filed(w);
    expect(await refusal(rateCase(w.deps, { code: c.code, asker: CITIZEN, score: 5 }))).toBe('TRANSITION_NOT_ALLOWED');
  });

  it.each([0, 6, 3.5])('when the score is %s, then INVALID_CASE_INPUT', async (score) => {
    const { w, c } = await resolvedCase();
    expect(await refusal(rateCase(w.deps, { code: c.code, asker: CITIZEN, score }))).toBe('INVALID_CASE_INPUT');
  });
});
