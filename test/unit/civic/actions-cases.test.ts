import { createActionHandlers, runAction, type ActionContext } from '../../../src/civic/actions';
import { MemoryAttemptLimiter } from '../../../src/civic/cases/attempt-limiter';
import { resolveCase } from '../../../src/civic/cases';
import type { Catalogue } from '../../../src/civic/procedures/catalogue';
import { vietnamTime } from '../../../src/civic/calendar/vietnam-time';
import { communeWorld } from '../../helpers/commune';

// Monday 2 March 2026, 09:00 in Vietnam.
const T0 = vietnamTime(2026, 3, 2, 9, 0);
const FILER: ActionContext = { channel: 'zalo', userId: 'zalo-user-1', conversationKey: 'zalo:zalo-user-1', now: T0, locale: 'vi' };
const STRANGER: ActionContext = { ...FILER, userId: 'zalo-user-2', conversationKey: 'zalo:zalo-user-2' };
const noCatalogue = { procedures: [] } as unknown as Catalogue;

/** The args flows/petition.yaml sends, as the transcript shows them. */
function petitionArgs(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'petition',
    petition_type: 'feedback',
    category: 'environment',
    village: 'thôn Một',
    content: 'Rác thải đổ ven đường liên thôn gần cầu, bốc mùi từ tuần trước.',
    photo: 'https://cdn.example/photo.jpg',
    location: { lat: 19.93, lng: 105.88 },
    name: null,
    phone: '+84912345678',
    channel: 'zalo',
    locale: 'vi',
    consent_version: '2026-01',
    consent_at: T0 - 120_000,
    ...overrides,
  };
}

async function setup() {
  const world = await communeWorld();
  let clock = T0;
  const attempts = new MemoryAttemptLimiter(() => clock);
  const handlers = createActionHandlers({ catalogue: noCatalogue, ...world, attempts });
  const run = (action: string, args: Record<string, unknown>, ctx: ActionContext = FILER) => runAction(handlers, { action, args }, { ...ctx, now: clock });
  const file = async (overrides: Record<string, unknown> = {}) => {
    const r = await run('case.create', petitionArgs(overrides));
    expect(r.ok).toBe(true);
    return (r.data as { code: string }).code;
  };
  return { ...world, run, file, advance: (ms: number) => (clock += ms) };
}

describe('case actions', () => {
  test('when a petition is sent, then it is filed with a code, a due date ten working days on and the official in charge', async () => {
    const { run, cases } = await setup();
    const r = await run('case.create', petitionArgs());
    expect(r).toEqual({
      ok: true,
      data: {
        code: expect.stringMatching(/^PA-[2-9A-HJKMNP-Z]{5}$/),
        dueDate: vietnamTime(2026, 3, 16, 17, 0),
        dueText: 'Thứ Hai, 16/03/2026',
        assigneeName: 'Ví dụ: Ngô Văn M — Trưởng thôn 1',
      },
    });
    const stored = await cases.findByCode((r.data as { code: string }).code);
    expect(stored).toMatchObject({
      kind: 'petition',
      petitionType: 'feedback',
      category: 'environment',
      village: 'Thôn 1',
      content: 'Rác thải đổ ven đường liên thôn gần cầu, bốc mùi từ tuần trước.',
      attachments: [
        { type: 'image', url: 'https://cdn.example/photo.jpg' },
        { type: 'location', lat: 19.93, lng: 105.88 },
      ],
      contact: { phone: '+84912345678', consentVersion: '2026-01', consentAt: T0 - 120_000 },
      channel: 'zalo',
      userId: 'zalo-user-1',
      status: 'assigned',
      assigneeId: 'truong-thon-1',
    });
  });

  test('when the place is described in words and the photo is a platform id, then both are kept', async () => {
    const { cases, file } = await setup();
    const code = await file({ petition_type: 'proposal', photo: 'zalo-asset-77', location: { text: 'gần cổng chợ' }, phone: null });
    const stored = await cases.findByCode(code);
    expect(stored?.petitionType).toBe('proposal');
    expect(stored?.content).toBe('Rác thải đổ ven đường liên thôn gần cầu, bốc mùi từ tuần trước.\nĐịa điểm: gần cổng chợ');
    expect(stored?.attachments).toEqual([{ type: 'image', platformId: 'zalo-asset-77' }]);
    expect(stored?.contact).toBeUndefined();
  });

  test('when a flow version published before petition_type sends the type as `kind`, then it is still filed with that type', async () => {
    const { cases, file } = await setup();
    const code = await file({ petition_type: undefined, kind: 'proposal' });
    expect(await cases.findByCode(code)).toMatchObject({ petitionType: 'proposal', content: 'Rác thải đổ ven đường liên thôn gần cầu, bốc mùi từ tuần trước.' });
  });

  test('when the petition type is missing or unknown, then nothing is filed and the flow hears INVALID_ARGUMENTS', async () => {
    const { run, cases } = await setup();
    expect(await run('case.create', petitionArgs({ petition_type: undefined }))).toMatchObject({ ok: false, code: 'INVALID_ARGUMENTS', data: { fields: ['petition_type'] } });
    expect(await run('case.create', petitionArgs({ petition_type: 'complaint' }))).toMatchObject({ ok: false, code: 'INVALID_ARGUMENTS' });
    expect((await cases.list({})).cases).toHaveLength(0);
  });

  test('when kiến nghị has a time limit of its own in office-hours, then a proposal falls due by it and a phản ánh by its own', async () => {
    const { run, calendar, cases } = await setup();
    calendar.hours.timeLimits.proposal = { ...calendar.hours.timeLimits.proposal, days: 15 };
    const proposal = await run('case.create', petitionArgs({ petition_type: 'proposal' }));
    const feedback = await run('case.create', petitionArgs({ petition_type: 'feedback' }));
    // Received Monday 2 March 09:00: 10 working days end Monday 16 March, 15 end Monday 23 March.
    expect(proposal).toMatchObject({ ok: true, data: { dueDate: vietnamTime(2026, 3, 23, 17, 0), dueText: 'Thứ Hai, 23/03/2026' } });
    expect(feedback).toMatchObject({ ok: true, data: { dueDate: vietnamTime(2026, 3, 16, 17, 0) } });
    expect((await cases.list({ petitionType: 'proposal' })).cases).toHaveLength(1);
  });

  test('when the filer of a kiến nghị looks it up in English, then the summary calls it a proposal', async () => {
    const { run, file } = await setup();
    const code = await file({ petition_type: 'proposal' });
    const r = await run('case.lookup', { code, locale: 'en' });
    expect((r.data as { summary: string }).summary).toContain(`Case ${code} (Proposal) — Environment`);
  });

  test('when a phone is given without the consent the flow records, then nothing is filed', async () => {
    const { run, cases } = await setup();
    const r = await run('case.create', petitionArgs({ consent_version: null, consent_at: null }));
    expect(r).toMatchObject({ ok: false, code: 'INVALID_CASE_INPUT', data: { issues: [{ field: 'consent', problem: 'consent_required' }] } });
    expect((await cases.list({})).cases).toHaveLength(0);
  });

  test('when the filer looks up the code as typed, then the status, the history with dates and the due date are shown', async () => {
    const { run, file } = await setup();
    const code = await file();
    const r = await run('case.lookup', { code: code.toLowerCase().replace('-', ' '), locale: 'vi' });
    expect(r.ok).toBe(true);
    const summary = (r.data as { summary: string }).summary;
    expect(summary).toContain(`Hồ sơ ${code} (Phản ánh) — Môi trường (rác, chăn nuôi, đốt rơm), Thôn 1`);
    expect(summary).toContain('Tình trạng: Đã giao cán bộ phụ trách');
    expect(summary).toContain('Hạn trả lời: Thứ Hai, 16/03/2026');
    expect(summary).toContain('• 02/03/2026: Xã tiếp nhận');
    expect(summary).toContain('• 02/03/2026: Giao cán bộ phụ trách');
    expect(summary).not.toMatch(/truong-thon|Ngô Văn M|\+84912345678/);
  });

  test('when the case is answered, then the lookup shows the answer and no due date', async () => {
    const { run, file, cases } = await setup();
    const code = await file();
    const c = await cases.findByCode(code);
    await resolveCase({ cases, now: () => vietnamTime(2026, 3, 5, 10, 0) }, { caseId: c!.id, by: { kind: 'official', officialId: 'truong-thon-1' }, answer: 'Đã cho thu gom rác.' });
    const summary = ((await run('case.lookup', { code, locale: 'en' })).data as { summary: string }).summary;
    expect(summary).toContain('Status: Resolved');
    expect(summary).toContain("• 05/03/2026: Answered by the commune");
    expect(summary).toContain("The commune's answer: Đã cho thu gom rác.");
    expect(summary).not.toContain('Answer due');
  });

  test('when someone else looks up a real code, then the answer is the same as for an unknown code', async () => {
    const { run, file } = await setup();
    const code = await file();
    const theirs = await run('case.lookup', { code }, STRANGER);
    const unknown = await run('case.lookup', { code: 'PA-22222' }, STRANGER);
    const garbage = await run('case.lookup', { code: 'xin chào' }, STRANGER);
    expect(theirs).toEqual({ ok: false, code: 'NOT_FOUND' });
    expect(unknown).toEqual(theirs);
    expect(garbage).toEqual(theirs);
  });

  test('when five wrong codes were tried within ten minutes, then further tries get TOO_MANY_ATTEMPTS until the window passes', async () => {
    const { run, file, advance } = await setup();
    const code = await file();
    for (let i = 0; i < 5; i++) expect(await run('case.lookup', { code: `PA-2222${i + 2}` }, STRANGER)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await run('case.lookup', { code }, STRANGER)).toEqual({ ok: false, code: 'TOO_MANY_ATTEMPTS' });
    // The filer is another person: their own lookups are not held back by the stranger's guesses.
    expect(await run('case.lookup', { code })).toMatchObject({ ok: true });
    advance(10 * 60_000);
    expect(await run('case.lookup', { code: 'PA-33333' }, STRANGER)).toEqual({ ok: false, code: 'NOT_FOUND' });
  });

  test('when the filer rates the resolved case, then the rating is stored once', async () => {
    const { run, file, cases } = await setup();
    const code = await file();
    expect(await run('rating.record', { case_code: code, score: 4, trips: 1, comment: null })).toEqual({ ok: false, code: 'TRANSITION_NOT_ALLOWED' });
    const c = await cases.findByCode(code);
    await resolveCase({ cases, now: () => T0 + 60_000 }, { caseId: c!.id, by: { kind: 'official', officialId: 'truong-thon-1' }, answer: 'Đã xử lý.' });
    expect(await run('rating.record', { case_code: code, score: 4, trips: 1, comment: 'Cán bộ hướng dẫn tận tình.' }, STRANGER)).toEqual({ ok: false, code: 'NOT_FOUND' });
    expect(await run('rating.record', { case_code: code.toLowerCase(), score: 4, trips: 1, comment: 'Cán bộ hướng dẫn tận tình.' })).toEqual({ ok: true, data: { code } });
    expect((await cases.findByCode(code))?.rating).toEqual({ score: 4, trips: 1, comment: 'Cán bộ hướng dẫn tận tình.', at: T0 });
    expect(await run('rating.record', { case_code: code, score: 5, trips: 0, comment: null })).toEqual({ ok: false, code: 'ALREADY_RATED' });
  });

  test('when the case stores are not given, then the three actions still refuse with SERVICE_NOT_OPEN', async () => {
    const handlers = createActionHandlers({ catalogue: noCatalogue });
    for (const action of ['case.create', 'case.lookup', 'rating.record']) {
      expect(await runAction(handlers, { action, args: petitionArgs() }, FILER)).toMatchObject({ ok: false, code: 'SERVICE_NOT_OPEN' });
    }
  });
});
