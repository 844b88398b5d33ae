import { join } from 'node:path';
import { messagingPolicyFor } from '../../../../src/channels/policies';
import { createActionHandlers, type ActionContext } from '../../../../src/civic/actions';
import { bookAppointment, openDays, openSlots, type AppointmentDeps, type ReminderPlanner } from '../../../../src/civic/appointments/book-appointment';
import { DEFAULT_DESK_SETTINGS, loadDeskSettings, parseDeskSettings } from '../../../../src/civic/appointments/desk-settings';
import { loadCatalogue } from '../../../../src/civic/procedures/catalogue';
import type { Appointment } from '../../../../src/store/ports';
import { MemoryAppointmentStore } from '../../../../src/store/memory';
import { ROOT, shippedCalendar, vn } from '../calendar/shipped-calendar';

const calendar = shippedCalendar();
const catalogue = loadCatalogue(join(ROOT, 'flows/data/procedures.yaml'));
const desk = loadDeskSettings(join(ROOT, 'flows/data/desk.yaml'));

function deps(extra: Partial<AppointmentDeps> = {}): AppointmentDeps {
  return { appointments: new MemoryAppointmentStore(), calendar, desk, ...extra };
}

function recordingPlanner(): ReminderPlanner & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    plan: async (a: Appointment) => void calls.push(`plan ${a.slot.key}`),
    remove: async (a: Appointment) => void calls.push(`remove ${a.slot.key}`),
  };
}

function ctx(now: number, channel = 'zalo', userId = 'u-1'): ActionContext {
  return { channel, userId, conversationKey: `${channel}:${userId}`, now, locale: 'vi' };
}

const request = { name: 'Lê Thị Hoa', phone: '+84987654321', channel: 'zalo', userId: 'u-1', locale: 'vi' };

describe('desk settings', () => {
  test('when the shipped desk.yaml is loaded, then it has one-hour slots, 4 places and the two default reminders', () => {
    expect(desk).toMatchObject({ slotMinutes: 60, capacityPerSlot: 4, reminders: DEFAULT_DESK_SETTINGS.reminders });
    expect(desk.procedures).toContain('khai-sinh');
  });

  test('when a reminder kind is listed twice, then the file is refused naming the entry', () => {
    const yaml = 'version: 1\nslotMinutes: 30\ncapacityPerSlot: 2\nreminders: [{ kind: a, minutesBefore: 60 }, { kind: a, minutesBefore: 30 }]\n';
    expect(() => parseDeskSettings(yaml, 'desk.yaml')).toThrow(/desk.yaml: reminders.1.kind: reminder kind "a" is listed twice/);
  });
});

describe('open days and slots', () => {
  test('when it is Friday before Giỗ Tổ and 30/4-1/5, then the holidays and weekends are skipped', async () => {
    const days = await openDays(deps(), vn('2026-04-24T16:00'));
    expect(days.map((d) => d.date)).toEqual(['2026-04-28', '2026-04-29', '2026-05-04', '2026-05-05', '2026-05-06', '2026-05-07']);
    expect(days[0]?.free).toBe(7);
  });

  test('when Saturday 10/1/2026 is a swapped working day, then the desk can be booked that day', async () => {
    const days = await openDays(deps(), vn('2026-01-09T18:00'));
    expect(days[0]?.date).toBe('2026-01-10');
  });

  test('when a day is asked, then its slots follow the office hours, cut to the slot length, after the lead time', async () => {
    const slots = await openSlots(deps(), '2026-03-09', vn('2026-03-09T09:10'));
    // 07:30 and 08:30 are too soon (lead 60 min); 16:30 would end after 17:00.
    expect(slots.map((s) => s.key)).toEqual(['2026-03-09T10:30', '2026-03-09T13:30', '2026-03-09T14:30', '2026-03-09T15:30']);
    expect(slots[0]).toMatchObject({ start: vn('2026-03-09T10:30'), end: vn('2026-03-09T11:30'), capacity: 4, free: 4 });
    expect(await openSlots(deps(), '2026-04-30', vn('2026-04-01T09:00'))).toEqual([]);
  });

  test('when a weekday has its own capacity, then its slots take that many', async () => {
    const slots = await openSlots(deps({ desk: { ...desk, capacityByWeekday: { friday: 1 } } }), '2026-03-13', vn('2026-03-09T09:00'));
    expect(slots.every((s) => s.capacity === 1)).toBe(true);
  });

  test('when a slot fills up, then it is no longer offered, and a full day is no longer offered', async () => {
    const d = deps({ desk: { ...desk, capacityPerSlot: 1 } });
    const now = vn('2026-03-06T12:00');
    for (const s of await openSlots(d, '2026-03-09', now)) expect((await bookAppointment(d, { ...request, slotKey: s.key }, now)).ok).toBe(true);
    expect(await openSlots(d, '2026-03-09', now)).toEqual([]);
    expect((await openDays(d, now)).map((x) => x.date)).not.toContain('2026-03-09');
  });
});

describe('booking, moving and cancelling', () => {
  test('when two citizens race for the last place, then exactly one gets it and the other is told SLOT_FULL', async () => {
    const d = deps({ desk: { ...desk, capacityPerSlot: 1 } });
    const now = vn('2026-03-06T12:00');
    const both = await Promise.all([bookAppointment(d, { ...request, slotKey: '2026-03-09T07:30' }, now), bookAppointment(d, { ...request, userId: 'u-2', slotKey: '2026-03-09T07:30' }, now)]);
    expect(both.map((r) => (r.ok ? 'ok' : r.code)).sort()).toEqual(['SLOT_FULL', 'ok']);
  });

  test('when the slot is a holiday, outside the hours or too soon, then booking is refused SLOT_NOT_OPEN', async () => {
    const now = vn('2026-03-09T09:10');
    for (const slotKey of ['2026-04-30T07:30', '2026-03-09T12:30', '2026-03-09T08:30', '2026-03-09T07:45', 'tomorrow']) {
      expect(await bookAppointment(deps(), { ...request, slotKey }, now)).toEqual({ ok: false, code: 'SLOT_NOT_OPEN' });
    }
  });

  test('when a procedure does not need the desk, then booking is refused NOT_AT_DESK', async () => {
    expect(await bookAppointment(deps({ desk: { ...desk, procedures: [] } }), { ...request, procedureId: 'khai-sinh', slotKey: '2026-03-09T07:30' }, vn('2026-03-06T12:00'))).toEqual({
      ok: false,
      code: 'NOT_AT_DESK',
    });
  });

  test('when booked, moved and cancelled through the actions, then reminders are planned, re-planned and removed', async () => {
    const planner = recordingPlanner();
    const handlers = createActionHandlers({ catalogue, calendar, appointments: new MemoryAppointmentStore(), messaging: messagingPolicyFor, desk, reminders: planner });
    const now = vn('2026-03-06T12:00');
    const booked = await handlers['appointment.book']!({ slot: '2026-03-09T07:30', procedure_id: 'khai-sinh', name: 'Lê Thị Hoa', phone: '+84987654321', locale: 'vi' }, ctx(now));
    expect(booked).toMatchObject({ ok: true, data: { code: expect.stringMatching(/^LH-0309-[2-9A-Z]{4}$/) } });
    const id = booked.data?.id as string;
    expect(await handlers['appointment.mine']!({}, ctx(now))).toMatchObject({ ok: true, data: { items: [{ id, title: 'T2 09/03 7h30', long: expect.stringContaining('7h30-8h30, Thứ Hai, 09/03/2026') }] } });
    // Someone else cannot see, move or cancel it.
    expect(await handlers['appointment.cancel']!({ id }, ctx(now, 'zalo', 'u-2'))).toEqual({ ok: false, code: 'NOT_FOUND' });
    const moved = await handlers['appointment.reschedule']!({ id, slot: '2026-03-10T14:30' }, ctx(now));
    expect(moved).toMatchObject({ ok: true, data: { confirmation: expect.stringContaining('Đã đổi lịch hẹn') } });
    expect(await handlers['appointment.cancel']!({ id }, ctx(now))).toMatchObject({ ok: true, data: { when: '14h30-15h30, Thứ Ba, 10/03/2026' } });
    expect(await handlers['appointment.cancel']!({ id }, ctx(now))).toEqual({ ok: false, code: 'NOT_BOOKED' });
    expect(planner.calls).toEqual(['plan 2026-03-09T07:30', 'plan 2026-03-10T14:30', 'remove 2026-03-10T14:30']);
  });

  test('when a person with two appointments is asked which to cancel, then each choice shows its day and time within a quick reply', async () => {
    const now = vn('2026-03-02T09:00');
    const handlers = createActionHandlers({ catalogue, calendar, appointments: new MemoryAppointmentStore(), messaging: messagingPolicyFor, desk });
    const book = (slot: string) => handlers['appointment.book']!({ slot, service: 'certification', name: 'Lê Thị Hoa' }, ctx(now));
    const first = await book('2026-03-09T07:30');
    const second = await book('2026-03-10T14:30');
    const mine = await handlers['appointment.mine']!({}, ctx(now));
    const items = (mine.data as { items: { id: string; title: string }[] }).items;
    expect(items.map((i) => i.title)).toEqual(['T2 09/03 7h30', 'T3 10/03 14h30']);
    for (const i of items) expect([...i.title].length).toBeLessThanOrEqual(20);
    expect(mine.data?.text).toBe(`1. ${String(first.data?.code)}: 7h30-8h30, Thứ Hai, 09/03/2026\n2. ${String(second.data?.code)}: 14h30-15h30, Thứ Ba, 10/03/2026`);
  });

  test('when two appointments of one person share the same time, then their choices still look different', async () => {
    const now = vn('2026-03-02T09:00');
    const handlers = createActionHandlers({ catalogue, calendar, appointments: new MemoryAppointmentStore(), messaging: messagingPolicyFor, desk });
    const codes: string[] = [];
    for (const name of ['Lê Thị Hoa', 'Lê Văn An']) codes.push(String((await handlers['appointment.book']!({ slot: '2026-03-09T07:30', service: 'land', name }, ctx(now))).data?.code));
    const items = ((await handlers['appointment.mine']!({}, ctx(now))).data as { items: { title: string }[] }).items;
    expect(items.map((i) => i.title).sort()).toEqual(codes.map((c) => `T2 09/03 7h30 ${c.slice(-4)}`).sort());
    for (const i of items) expect([...i.title].length).toBeLessThanOrEqual(20);
  });

  test('when the appointment actions have no store, then they answer SERVICE_NOT_OPEN as before', async () => {
    const handlers = createActionHandlers({ catalogue });
    for (const name of ['appointment.days', 'appointment.slots', 'appointment.book', 'appointment.mine', 'appointment.cancel', 'appointment.reschedule']) {
      expect(await handlers[name]!({}, ctx(0))).toEqual({ ok: false, code: 'SERVICE_NOT_OPEN', data: { action: name } });
    }
  });
});

describe('the confirmation', () => {
  async function confirm(channel: string, now: number, reminderChannels = {}) {
    const handlers = createActionHandlers({ catalogue, calendar, appointments: new MemoryAppointmentStore(), messaging: messagingPolicyFor, desk, reminderChannels });
    const result = await handlers['appointment.book']!({ slot: '2026-03-09T07:30', procedure_id: 'khai-sinh', name: 'Lê Thị Hoa', phone: '+84987654321' }, ctx(now, channel));
    return String(result.data?.confirmation);
  }

  test('when booked, then it repeats the date, time, place and the documents of the procedure', async () => {
    const text = await confirm('zalo', vn('2026-03-08T09:00'));
    expect(text).toContain('Thời gian: 7h30-8h30, Thứ Hai, 09/03/2026');
    expect(text).toContain('Địa điểm: Trung tâm Phục vụ hành chính công xã');
    for (const doc of catalogue.procedures.find((p) => p.id === 'khai-sinh')!.documents) expect(text).toContain(doc.vi);
  });

  test('when both reminders fall inside the free window, then both are promised plainly', async () => {
    // Zalo: free for 48 h after this message; the reminders are at 7h30 on 8/3 and 5h30 on 9/3.
    const text = await confirm('zalo', vn('2026-03-08T07:00'));
    expect(text).toContain('Xã sẽ nhắn nhắc ông/bà lúc 7h30 Chủ nhật, 08/03/2026 và 5h30 Thứ Hai, 09/03/2026.');
    expect(text).not.toContain('chỉ cho phép');
  });

  test('when a Messenger reminder falls outside the 24 h window and no template is configured, then the citizen is told to write first', async () => {
    const text = await confirm('messenger', vn('2026-03-06T12:00'));
    expect(text).toContain('Messenger chỉ cho phép xã nhắn trong 24 giờ');
    expect(text).toContain('tin nhắc lúc 7h30 Chủ nhật, 08/03/2026 và 5h30 Thứ Hai, 09/03/2026 chỉ đến được nếu ông/bà nhắn cho xã một tin bất kỳ sau 7h30 Thứ Bảy, 07/03/2026');
  });

  test('when a Messenger Utility template or Zalo ZNS is configured, then the reminders are promised', async () => {
    expect(await confirm('messenger', vn('2026-03-06T12:00'), { messengerUtilityTemplate: 'nhac_lich_hen' })).toContain('Xã sẽ nhắn nhắc ông/bà lúc 7h30');
    expect(await confirm('zalo', vn('2026-03-02T12:00'), { zaloZnsTemplateId: '412345' })).toContain('Xã sẽ nhắn nhắc ông/bà lúc 7h30');
    expect(await confirm('zalo', vn('2026-03-02T12:00'))).toContain('Zalo chỉ cho phép xã nhắn trong 48 giờ');
  });

  test('when computed, then no Date method that reads the server time zone is used', async () => {
    const proto = Date.prototype as unknown as Record<string, unknown>;
    const names = ['getHours', 'getDate', 'getDay', 'getMonth', 'getFullYear', 'getTimezoneOffset', 'toLocaleString', 'toLocaleDateString', 'toLocaleTimeString'];
    const saved = names.map((n) => [n, proto[n]] as const);
    for (const n of names) proto[n] = () => { throw new Error(`Date#${n} reads the server's time zone`); };
    try {
      const text = await confirm('zalo', vn('2026-03-08T07:00'));
      expect(text).toContain('7h30-8h30, Thứ Hai, 09/03/2026');
      expect((await openSlots(deps(), '2026-03-09', vn('2026-03-09T09:10')))[0]?.key).toBe('2026-03-09T10:30');
    } finally {
      for (const [n, f] of saved) proto[n] = f;
    }
  });
});
