import { handleOfficialMessage } from '../../../../src/civic/officials/chat-commands';
import { parseResultCommand, runResultCommand } from '../../../../src/civic/appointments/result-date-commands';
import { normalizeAppointmentCode, recordResultDate, resolveDayMonth, type ResultDateDeps } from '../../../../src/civic/appointments/result-dates';
import { MemoryAppointmentStore, MemoryCaseStore, MemoryOfficialStore } from '../../../../src/store/memory';
import type { Appointment, ResultDateChange } from '../../../../src/store/ports';
import type { Official } from '../../../../src/store/ports/officials';
import { shippedCalendar, vn } from '../calendar/shipped-calendar';

const calendar = shippedCalendar();

describe('reading the result-date commands', () => {
  test.each([
    ['HENTRA LH-0309-4K7P 12/03', { kind: 'set', code: { typed: 'LH-0309-4K7P', code: 'LH-0309-4K7P' }, day: '12/03', reason: '' }],
    ['hẹn trả lh03094k7p 12/3', { kind: 'set', code: { typed: 'lh03094k7p', code: 'LH-0309-4K7P' }, day: '12/3', reason: '' }],
    ['Hen tra LH 0309 4K7P 12-03', { kind: 'set', code: { typed: 'LH 0309 4K7P', code: 'LH-0309-4K7P' }, day: '12-03', reason: '' }],
    ['DOIHEN LH-0309-4K7P 16/03 chờ xác minh của công an', { kind: 'move', code: { typed: 'LH-0309-4K7P', code: 'LH-0309-4K7P' }, day: '16/03', reason: 'chờ xác minh của công an' }],
    ['đổi hẹn LH-0309-4K7P 16/03: thiếu chữ ký', { kind: 'move', code: { typed: 'LH-0309-4K7P', code: 'LH-0309-4K7P' }, day: '16/03', reason: 'thiếu chữ ký' }],
    ['SANSANG LH-0309-4K7P', { kind: 'ready', code: { typed: 'LH-0309-4K7P', code: 'LH-0309-4K7P' }, day: '', reason: '' }],
    ['sẵn sàng lh-0309-4k7p nhé', { kind: 'ready', code: { typed: 'lh-0309-4k7p', code: 'LH-0309-4K7P' }, day: '', reason: '' }],
    ['dung hen LH-0309-4K7P', { kind: 'confirm', code: { typed: 'LH-0309-4K7P', code: 'LH-0309-4K7P' }, day: '', reason: '' }],
    ['HENTRA LH-12 12/03', { kind: 'set', code: { typed: 'LH-12', code: null }, day: '12/03', reason: '' }],
    ['HENTRA LH-0309-4K7P', { kind: 'set', code: { typed: 'LH-0309-4K7P', code: 'LH-0309-4K7P' }, day: '', reason: '' }],
  ])('when an official types "%s", then it is read as that command', (text, expected) => {
    expect(parseResultCommand(text)).toEqual(expected);
  });

  test.each(['hẹn trả kết quả khi nào vậy?', 'đổi hẹn giúp tôi', 'sẵn sàng rồi', 'HENTRA', 'NHAN PA-7K3M9', 'sansang LH-0309-4K7P toi da lam xong het roi a'])(
    'when someone types "%s", then it is no result-date command',
    (text) => {
      expect(parseResultCommand(text)).toBeNull();
    },
  );

  test('when an appointment code is written any way, then it is stored as LH-mmdd-XXXX', () => {
    expect(normalizeAppointmentCode(' lh 0309 4k7p ')).toBe('LH-0309-4K7P');
    expect(normalizeAppointmentCode('PA-7K3M9')).toBeNull();
  });

  test('when a day is typed as dd/mm, then it is this year, or next year in December for January', () => {
    expect(resolveDayMonth('12/03', vn('2026-03-06T10:00'))).toBe('2026-03-12');
    expect(resolveDayMonth('5/1', vn('2026-12-20T10:00'))).toBe('2027-01-05');
    expect(resolveDayMonth('01/03', vn('2026-03-06T10:00'))).toBe('2026-03-01');
    expect(resolveDayMonth('12/03/2027', vn('2026-03-06T10:00'))).toBe('2027-03-12');
    expect(resolveDayMonth('31/02', vn('2026-03-06T10:00'))).toBeNull();
    expect(resolveDayMonth('mai', vn('2026-03-06T10:00'))).toBeNull();
  });
});

describe('recording result dates from the chat', () => {
  const official = (id: string, role: Official['role'] = 'desk'): Official => ({ id, name: id, role, villages: [], categories: [], onDuty: false, accounts: [], active: true });
  let store: MemoryAppointmentStore;
  let told: Array<{ a: Appointment; change: ResultDateChange }>;
  let now: number;
  let deps: ResultDateDeps;

  beforeEach(async () => {
    store = new MemoryAppointmentStore();
    told = [];
    now = vn('2026-03-09T09:00');
    deps = { appointments: store, calendar, now: () => now, notifier: { afterChange: async (a, change) => void told.push({ a, change }) } };
    const start = vn('2026-03-09T08:30');
    await store.book({ key: 'k', day: '2026-03-09', start, end: start + 3600_000 }, 4, { id: 'a1', code: 'LH-0309-4K7P', name: 'Lê Thị Hoa', channel: 'zalo', userId: 'c1', locale: 'vi', createdAt: now });
  });

  test('when an official records a working day, then it is stored, the citizen is told, and the official gets the date back', async () => {
    const reply = await runResultCommand(deps, official('mot-cua-1'), parseResultCommand('HENTRA LH-0309-4K7P 12/03')!);
    expect(reply).toContain('Đã ghi hẹn trả kết quả hồ sơ LH-0309-4K7P (công dân Lê Thị Hoa): Thứ Năm, 12/03/2026.');
    expect((await store.findByCode('LH-0309-4K7P'))?.result).toMatchObject({ day: '2026-03-12', status: 'promised', officialId: 'mot-cua-1' });
    expect(told.map((t) => t.change.what)).toEqual(['set']);
  });

  test('when the day is a holiday, a weekend, past or not a date, then the official is told why and nothing is stored', async () => {
    now = vn('2026-04-20T09:00');
    const me = official('mot-cua-1');
    expect(await runResultCommand(deps, me, parseResultCommand('HENTRA LH-0309-4K7P 30/04')!)).toBe('Ngày 30/04 không phải ngày làm việc (cuối tuần hoặc ngày nghỉ lễ). Xin chọn một ngày làm việc.');
    expect(await runResultCommand(deps, me, parseResultCommand('HENTRA LH-0309-4K7P 25/04')!)).toContain('không phải ngày làm việc');
    expect(await runResultCommand(deps, me, parseResultCommand('HENTRA LH-0309-4K7P 17/04')!)).toBe('Ngày 17/04 đã qua. Xin chọn một ngày làm việc từ hôm nay trở đi.');
    expect(await runResultCommand(deps, me, parseResultCommand('HENTRA LH-0309-4K7P 32/04')!)).toBe('Ngày "32/04" không đúng. Xin nhắn ngày dạng ngày/tháng, ví dụ: HENTRA LH-0309-4K7P 12/03.');
    expect(await runResultCommand(deps, me, parseResultCommand('HENTRA LH-0309-9999 22/04')!)).toContain('Không tìm thấy lịch hẹn LH-0309-9999');
    expect(await runResultCommand(deps, me, parseResultCommand('HENTRA LH-12 22/04')!)).toContain('Mã lịch hẹn "LH-12" không đúng');
    expect((await store.get('a1'))?.result).toBeUndefined();
    expect(told).toEqual([]);
  });

  test("when another official moves or marks someone else's result date, then it is refused; the chair may", async () => {
    await recordResultDate(deps, { code: 'LH-0309-4K7P', day: '2026-03-12', actor: { by: 'mot-cua-1', officialId: 'mot-cua-1', supervisor: false } });
    const other = official('tu-phap-1', 'official');
    expect(await runResultCommand(deps, other, parseResultCommand('DOIHEN LH-0309-4K7P 16/03 chậm')!)).toBe(
      'Hẹn trả kết quả của hồ sơ LH-0309-4K7P do cán bộ khác phụ trách, nên đồng chí không thay đổi được.',
    );
    expect(await runResultCommand(deps, other, parseResultCommand('SANSANG LH-0309-4K7P')!)).toContain('do cán bộ khác phụ trách');
    expect(await runResultCommand(deps, official('ct-1', 'chair'), parseResultCommand('DOIHEN LH-0309-4K7P 16/03 chờ ký')!)).toContain('sang Thứ Hai, 16/03/2026');
    expect(told.map((t) => [t.change.what, t.change.by, t.change.reason])).toEqual([
      ['set', 'mot-cua-1', undefined],
      ['moved', 'ct-1', 'chờ ký'],
    ]);
  });

  test('when HENTRA comes again for a recorded dossier, then the same day changes nothing and another day points to DOIHEN', async () => {
    const me = official('mot-cua-1');
    await runResultCommand(deps, me, parseResultCommand('HENTRA LH-0309-4K7P 12/03')!);
    expect(await runResultCommand(deps, me, parseResultCommand('HENTRA LH-0309-4K7P 12/03')!)).toContain('không có gì thay đổi');
    expect(await runResultCommand(deps, me, parseResultCommand('HENTRA LH-0309-4K7P 13/03')!)).toContain('DOIHEN LH-0309-4K7P <ngày/tháng> <lý do>');
    expect(await runResultCommand(deps, me, parseResultCommand('DOIHEN LH-0309-4K7P 11/03')!)).toContain('Ngày hẹn mới phải sau ngày hẹn hiện tại (Thứ Năm, 12/03/2026)');
    expect(told).toHaveLength(1);
  });
});

describe("result-date commands in the officials' chat", () => {
  test('when a linked official writes DOIHEN, they are answered; a citizen writing the same words is left to the flows; HUONGDAN lists the commands', async () => {
    const appointments = new MemoryAppointmentStore();
    const officials = new MemoryOfficialStore();
    await officials.upsert({ id: 'mot-cua-1', name: 'Võ Thị Một', role: 'desk', villages: [], categories: [], onDuty: false, active: true, accounts: [{ channel: 'zalo', userId: 'z-desk' }] });
    const now = vn('2026-03-09T09:00');
    await appointments.book({ key: 'k', day: '2026-03-09', start: now, end: now + 3600_000 }, 4, { id: 'a1', code: 'LH-0309-4K7P', name: 'Lê Thị Hoa', channel: 'zalo', userId: 'c1', locale: 'vi', createdAt: now });
    await appointments.changeResultDate('a1', { what: 'set', day: '2026-03-12', officialId: 'mot-cua-1', by: 'mot-cua-1', at: now });
    const deps = { officials, cases: new MemoryCaseStore(), now: () => now, resultDates: { appointments, calendar, now: () => now } };

    const official = await handleOfficialMessage(deps, { channel: 'zalo', userId: 'z-desk', text: 'doi hen LH-0309-4K7P 13/03 thiếu xác nhận' });
    expect(official?.replies).toEqual([{ type: 'text', text: 'Đã hẹn lại ngày trả kết quả hồ sơ LH-0309-4K7P sang Thứ Sáu, 13/03/2026. Công dân Lê Thị Hoa nhận lời xin lỗi kèm ngày hẹn mới và lý do.' }]);
    expect(await handleOfficialMessage(deps, { channel: 'zalo', userId: 'c1', text: 'đổi hẹn LH-0309-4K7P 16/03' })).toBeNull();
    const help = await handleOfficialMessage(deps, { channel: 'zalo', userId: 'z-desk', text: 'huong dan can bo' });
    expect(help?.replies[0]).toMatchObject({ type: 'text', text: expect.stringContaining('• HENTRA <mã lịch hẹn> <ngày/tháng>: ghi ngày hẹn trả kết quả') });
  });
});
