import { join } from 'node:path';
import { messagingPolicyFor } from '../../../src/channels/policies';
import { createActionHandlers, runAction, type ActionContext } from '../../../src/civic/actions';
import { loadDeskSettings, type DeskSettings } from '../../../src/civic/appointments/desk-settings';
import { MemoryAttemptLimiter } from '../../../src/civic/cases/attempt-limiter';
import { vietnamTime } from '../../../src/civic/calendar/vietnam-time';
import { loadCatalogue } from '../../../src/civic/procedures/catalogue';
import { MemoryAppointmentStore, MemoryHandoffStore } from '../../../src/store/memory';
import { communeWorld } from '../../helpers/commune';

const DATA = join(__dirname, '../../../flows/data');
const catalogue = loadCatalogue(join(DATA, 'procedures.yaml'));
const shippedDesk = loadDeskSettings(join(DATA, 'desk.yaml'));

// Monday 2 March 2026, 09:00 in Vietnam.
const T0 = vietnamTime(2026, 3, 2, 9, 0);
const CITIZEN: ActionContext = { channel: 'messenger', userId: 'psid-1', conversationKey: 'messenger:psid-1', now: T0, locale: 'vi' };
const STRANGER: ActionContext = { ...CITIZEN, userId: 'psid-2', conversationKey: 'messenger:psid-2' };

async function setup(opts: { desk?: DeskSettings; withAppointments?: boolean } = {}) {
  const { desk = shippedDesk, withAppointments = true } = opts;
  const world = await communeWorld();
  const appointments = new MemoryAppointmentStore();
  const handoffs = new MemoryHandoffStore();
  const attempts = new MemoryAttemptLimiter(() => T0);
  const handlers = createActionHandlers({ catalogue, ...world, attempts, handoffs, ...(withAppointments ? { appointments, desk, messaging: messagingPolicyFor } : {}) });
  const run = (action: string, args: Record<string, unknown>, ctx: ActionContext = CITIZEN) => runAction(handlers, { action, args }, ctx);
  const book = async (slot = '2026-03-09T07:30', extra: Record<string, unknown> = { procedure_id: 'khai-sinh' }) => {
    const booked = await runAction(handlers, { action: 'appointment.book', args: { slot, name: 'Lê Thị Hoa', ...extra } }, CITIZEN);
    expect(booked.ok).toBe(true);
    return booked.data as { id: string; code: string };
  };
  return { run, book, appointments, handoffs };
}

const summaryOf = (r: { data?: Record<string, unknown> }) => String(r.data?.summary);

describe('looking up an appointment or hand-off code with case.lookup', () => {
  test('when the booker asks about their appointment in a sentence, then its time, place, papers and status are shown', async () => {
    const { run, book } = await setup();
    const { code } = await book();
    const typed = `cho hỏi lịch ${code.toLowerCase().replace(/-/g, ' ')} của em`;
    const r = await run('case.lookup', { text: typed, locale: 'vi' });
    expect(r).toMatchObject({ ok: true, data: { code, kind: 'appointment', changeable: true } });
    const text = summaryOf(r);
    expect(text).toContain(`Lịch hẹn ${code} — Đăng ký khai sinh`);
    expect(text).toContain('Tình trạng: Đã đặt lịch');
    expect(text).toContain('Thời gian: 7h30-8h30, Thứ Hai, 09/03/2026');
    expect(text).toContain('Địa điểm: Trung tâm Phục vụ hành chính công xã');
    for (const doc of catalogue.procedures.find((p) => p.id === 'khai-sinh')!.documents) expect(text).toContain(doc.vi);
    expect(text).not.toContain('hẹn trả kết quả');
  });

  test('when the code is typed at the code question without dashes, then the same status is shown', async () => {
    const { run, book } = await setup();
    const { code } = await book();
    const r = await run('case.lookup', { code: code.replace(/-/g, '').toLowerCase(), locale: 'vi' });
    expect(r).toMatchObject({ ok: true, data: { code, kind: 'appointment', summary: expect.stringContaining('7h30-8h30, Thứ Hai, 09/03/2026') } });
  });

  test("when the desk data names the place, then the summary gives that place, and the result date once it is recorded", async () => {
    const desk: DeskSettings = { ...shippedDesk, place: { vi: 'Trung tâm Phục vụ hành chính công xã, tầng 1', en: 'Commune service centre, ground floor' } };
    const { run, book, appointments } = await setup({ desk });
    const { id, code } = await book();
    await appointments.changeResultDate(id, { what: 'set', day: '2026-03-12', officialId: 'tu-phap-1', by: 'tu-phap-1', at: T0 });
    const vi = summaryOf(await run('case.lookup', { code, locale: 'vi' }));
    expect(vi).toContain('Địa điểm: Trung tâm Phục vụ hành chính công xã, tầng 1');
    expect(vi).toContain('Ngày hẹn trả kết quả: Thứ Năm, 12/03/2026');
    const en = summaryOf(await run('case.lookup', { code, locale: 'en' }));
    expect(en).toContain('Where: Commune service centre, ground floor');
    expect(en).toContain('Result due: Thứ Năm, 12/03/2026');
  });

  test('when the appointment was cancelled, then the lookup says so and asks for no papers', async () => {
    const { run, book } = await setup();
    const { id, code } = await book('2026-03-10T14:30', { service: 'certification' });
    await run('appointment.cancel', { id });
    const r = await run('case.lookup', { code });
    expect(r.data?.changeable).toBeUndefined();
    const text = summaryOf(r);
    expect(text).toContain(`Lịch hẹn ${code} — Chứng thực`);
    expect(text).toContain('Tình trạng: Đã hủy');
    expect(text).not.toContain('Xin mang theo');
  });

  test("when someone else looks up a real appointment code, then the answer is the same as for an unknown one", async () => {
    const { run, book } = await setup();
    const { code } = await book();
    const theirs = await run('case.lookup', { code }, STRANGER);
    const unknown = await run('case.lookup', { code: 'LH-0309-ZZZZ' }, STRANGER);
    expect(theirs).toEqual({ ok: false, code: 'NOT_FOUND' });
    expect(unknown).toEqual(theirs);
    const fromText = await run('case.lookup', { text: `lịch ${code} là của ai` }, STRANGER);
    expect(fromText).toEqual({ ok: false, code: 'NOT_FOUND', data: { code } });
  });

  test('when the citizen who asked for an official looks the hand-off up, then its state is shown, and to nobody else', async () => {
    const { run, handoffs } = await setup();
    const { handoff } = await handoffs.open({ channel: CITIZEN.channel, userId: CITIZEN.userId, topic: 'hỏi về đất', notifiedIds: [], createdAt: T0 - 3600_000 });
    await handoffs.end(handoff.id, { reason: 'unanswered', at: T0 - 60_000, caseCode: 'PA-7K3M9' });
    const r = await run('case.lookup', { text: `yêu cầu ${handoff.code.toLowerCase()} sao rồi` });
    expect(r).toMatchObject({ ok: true, data: { code: handoff.code, kind: 'handoff' } });
    expect(summaryOf(r)).toContain('Tình trạng: đã kết thúc');
    expect(summaryOf(r)).toContain('tra cứu PA-7K3M9');
    expect(await run('case.lookup', { code: handoff.code }, STRANGER)).toEqual({ ok: false, code: 'NOT_FOUND' });
  });

  test("when a citizen looks up their own appointment and hand-off codes between wrong guesses, then those are no wrong guesses", async () => {
    const { run, book, handoffs } = await setup();
    const { code } = await book();
    const { handoff } = await handoffs.open({ channel: CITIZEN.channel, userId: CITIZEN.userId, topic: '', notifiedIds: [], createdAt: T0 });
    for (let i = 0; i < 4; i++) expect(await run('case.lookup', { code: `PA-2222${i + 2}` })).toEqual({ ok: false, code: 'NOT_FOUND' });
    for (let i = 0; i < 3; i++) {
      expect(await run('case.lookup', { code })).toMatchObject({ ok: true });
      expect(await run('case.lookup', { text: `ma ${handoff.code}` })).toMatchObject({ ok: true });
    }
    // the fifth wrong guess is still answered; only the sixth is held back
    expect(await run('case.lookup', { code: 'LH-0309-ZZZZ' })).toEqual({ ok: false, code: 'NOT_FOUND' });
    expect(await run('case.lookup', { code: 'PA-33333' })).toEqual({ ok: false, code: 'TOO_MANY_ATTEMPTS' });
  });

  test('when appointments cannot be looked up here, then appointment codes typed again and again never lock the citizen out', async () => {
    const { run } = await setup({ withAppointments: false });
    for (let i = 0; i < 8; i++) expect(await run('case.lookup', { code: 'LH-1208-EZTP' })).toEqual({ ok: false, code: 'NOT_FOUND' });
    expect(await run('case.lookup', { code: 'PA-33333' })).toEqual({ ok: false, code: 'NOT_FOUND' });
  });

  test('when an appointment code is given to rate a case, then the rating is refused without counting a wrong guess', async () => {
    const { run, book } = await setup();
    const { code } = await book();
    for (let i = 0; i < 6; i++) expect(await run('rating.record', { case_code: code, score: 5, trips: 1, comment: null })).toEqual({ ok: false, code: 'NOT_FOUND' });
    expect(await run('case.lookup', { code })).toMatchObject({ ok: true });
    expect(await run('case.lookup', { code: 'PA-33333' })).toEqual({ ok: false, code: 'NOT_FOUND' });
  });
});
