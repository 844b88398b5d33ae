import { join } from 'node:path';
import { Redis } from 'ioredis';
import { bookAppointment, cancelAppointment, rescheduleAppointment, type AppointmentDeps } from '../../src/civic/appointments/book-appointment';
import { loadDeskSettings } from '../../src/civic/appointments/desk-settings';
import { loadCatalogue } from '../../src/civic/procedures/catalogue';
import { createAppointmentReminders, reminderJobId, type AppointmentReminderDeps, type AppointmentReminders } from '../../src/jobs/appointment-reminders';
import type { TemplateRequest } from '../../src/jobs/notice-delivery';
import { silentLogger } from '../../src/shared/logger';
import type { Appointment, Stores } from '../../src/store/ports';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';
import { ROOT, shippedCalendar, vn } from '../unit/civic/calendar/shipped-calendar';
import { HOUR, newStores, recordingSender, until, type SentMessage } from './case-jobs-fixture';

const calendar = shippedCalendar();
const catalogue = loadCatalogue(join(ROOT, 'flows/data/procedures.yaml'));
const desk = loadDeskSettings(join(ROOT, 'flows/data/desk.yaml'));
const MIN = 60_000;

describe('appointment reminders on real Redis', () => {
  let prefix: string;
  let redis: Redis;
  let stores: Stores;
  let sent: SentMessage[];
  let templates: TemplateRequest[];
  const open: AppointmentReminders[] = [];

  function reminders(extra: Partial<AppointmentReminderDeps> = {}): AppointmentReminders {
    const r = createAppointmentReminders({
      redis,
      redisUrl: TEST_REDIS_URL,
      prefix,
      appointments: stores.appointments,
      conversations: stores.conversations,
      officials: stores.officials,
      catalogue,
      desk,
      senders: { zalo: recordingSender('zalo', sent), messenger: recordingSender('messenger', sent) },
      log: silentLogger,
      backoffBaseMs: 50,
      ...extra,
    });
    open.push(r);
    return r;
  }

  function useCases(r: AppointmentReminders): AppointmentDeps {
    return { appointments: stores.appointments, calendar, desk, reminders: r.planner };
  }

  /** An appointment whose two-hour reminder is due `inMs` from the real clock (the day-before one is past). */
  async function bookSoon(inMs: number, who: Partial<Appointment> = {}): Promise<Appointment> {
    const start = Date.now() + 120 * MIN + inMs;
    const result = await stores.appointments.book({ key: `soon-${start}`, day: 'soon', start, end: start + HOUR }, 4, {
      id: `a-${start}`,
      code: `LH-${start}`,
      procedureId: 'khai-sinh',
      name: 'Lê Thị Hoa',
      phone: '+84987654321',
      channel: who.channel ?? 'zalo',
      userId: who.userId ?? 'citizen-1',
      locale: 'vi',
      createdAt: Date.now(),
    });
    if (!result.ok) throw new Error('booking failed');
    return result.appointment;
  }

  async function delayedIds(r: AppointmentReminders): Promise<string[]> {
    return (await r.queue.getDelayed()).map((j) => j.id ?? '').sort();
  }

  beforeEach(async () => {
    prefix = uniquePrefix();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    stores = newStores();
    sent = [];
    templates = [];
    await stores.conversations.touchInbound('zalo', 'citizen-1', Date.now() - HOUR);
  });

  afterEach(async () => {
    for (const r of open.splice(0)) await r.close();
    await deleteKeys(prefix);
    redis.disconnect();
  });

  test('when an appointment is booked, then its reminders are planned the day before and two hours before', async () => {
    const now = vn('2026-03-06T12:00');
    const r = reminders({ now: () => now });
    const booked = await bookAppointment(useCases(r), { slotKey: '2026-03-09T07:30', name: 'Lê Thị Hoa', channel: 'zalo', userId: 'citizen-1', locale: 'vi' }, now);
    if (!booked.ok) throw new Error(booked.code);
    const start = vn('2026-03-09T07:30');
    const jobs = (await r.queue.getDelayed()).map((j) => ({ id: j.id, kind: 'kind' in j.data ? j.data.kind : j.name, delay: j.opts.delay })).sort((a, b) => (a.delay ?? 0) - (b.delay ?? 0));
    expect(jobs).toEqual([
      { id: reminderJobId(booked.appointment.id, 'day_before', start), kind: 'day_before', delay: vn('2026-03-08T07:30') - now },
      { id: reminderJobId(booked.appointment.id, 'two_hours', start), kind: 'two_hours', delay: vn('2026-03-09T05:30') - now },
    ]);
    expect(jobs.every((j) => !String(j.id).includes(':'))).toBe(true);
    expect(await r.plannedIds(booked.appointment.id)).toEqual(jobs.map((j) => j.id).sort());
  });

  test('when an appointment is moved, then its reminders are re-planned for the new time and the old ones removed', async () => {
    const now = vn('2026-03-06T12:00');
    const r = reminders({ now: () => now });
    const deps = useCases(r);
    const booked = await bookAppointment(deps, { slotKey: '2026-03-09T07:30', name: 'Lê Thị Hoa', channel: 'zalo', userId: 'citizen-1', locale: 'vi' }, now);
    if (!booked.ok) throw new Error(booked.code);
    const id = booked.appointment.id;
    const moved = await rescheduleAppointment(deps, { id, slotKey: '2026-03-10T14:30', asker: { channel: 'zalo', userId: 'citizen-1' } }, now);
    expect(moved.ok).toBe(true);
    const start = vn('2026-03-10T14:30');
    const expected = [reminderJobId(id, 'day_before', start), reminderJobId(id, 'two_hours', start)].sort();
    expect(await delayedIds(r)).toEqual(expected);
    expect(await r.plannedIds(id)).toEqual(expected);
  });

  test('when an appointment is cancelled, then its reminders are removed', async () => {
    const now = vn('2026-03-06T12:00');
    const r = reminders({ now: () => now });
    const deps = useCases(r);
    const booked = await bookAppointment(deps, { slotKey: '2026-03-09T07:30', name: 'Lê Thị Hoa', channel: 'zalo', userId: 'citizen-1', locale: 'vi' }, now);
    if (!booked.ok) throw new Error(booked.code);
    await cancelAppointment(deps, { id: booked.appointment.id, asker: { channel: 'zalo', userId: 'citizen-1' } }, now);
    expect(await delayedIds(r)).toEqual([]);
    expect(await r.plannedIds(booked.appointment.id)).toEqual([]);
  });

  test('when every process restarts between planning and firing, then the reminder is still sent, once', async () => {
    const a = await bookSoon(1500);
    const before = reminders();
    await before.planner.plan(a);
    await before.planner.plan(a); // planning twice is harmless
    before.startWorker();
    await before.close();
    open.splice(open.indexOf(before), 1);
    const after = reminders();
    after.startWorker();
    await until(() => sent.length >= 1, 10_000);
    await new Promise((res) => setTimeout(res, 300));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ channel: 'zalo', userId: 'citizen-1', opts: { purpose: 'update' } });
    expect(sent[0]?.message).toMatchObject({ type: 'text', text: expect.stringContaining(`Nhắc lịch hẹn ${a.code}`) });
    expect(await after.plannedIds(a.id)).toEqual([]);
  });

  test('when the appointment was cancelled or moved after planning, then the worker drops the reminder', async () => {
    const r = reminders();
    const cancelled = await bookSoon(300);
    const moved = await bookSoon(400);
    await r.planner.plan(cancelled);
    await r.planner.plan(moved);
    // Changed in the store without telling the planner (another process, a crash before re-planning).
    await stores.appointments.cancel(cancelled.id, Date.now());
    await stores.appointments.reschedule(moved.id, { ...moved.slot, key: 'later', start: moved.slot.start + 5 * HOUR, end: moved.slot.end + 5 * HOUR }, 4, Date.now());
    const worker = r.startWorker();
    const outcomes: unknown[] = [];
    worker.on('completed', (_job, result) => outcomes.push(result));
    await until(() => outcomes.length >= 2, 10_000);
    expect(outcomes).toEqual(expect.arrayContaining([{ dropped: 'cancelled' }, { dropped: 'rescheduled' }]));
    expect(sent).toEqual([]);
  });

  test('when the job runs again after the reminder was sent, then it is not sent twice', async () => {
    const r = reminders();
    const a = await bookSoon(200);
    await r.planner.plan(a);
    const worker = r.startWorker();
    const outcomes: unknown[] = [];
    worker.on('completed', (_job, result) => outcomes.push(result));
    await until(() => outcomes.length >= 1, 10_000);
    // The same reminder again, as a stalled job re-run would be (a new BullMQ job, the same reminder id).
    const id = reminderJobId(a.id, 'two_hours', a.slot.start);
    await r.queue.remove(id);
    await r.queue.add('two_hours', { appointmentId: a.id, kind: 'two_hours', start: a.slot.start, at: Date.now() }, { jobId: id });
    await until(() => outcomes.length >= 2, 10_000);
    expect(outcomes[1]).toEqual({ dropped: 'already_sent' });
    expect(sent).toHaveLength(1);
  });

  test('when a Messenger reminder falls outside the 24 h window and no template is set, then it is recorded as undeliverable', async () => {
    const r = reminders();
    await stores.conversations.touchInbound('messenger', 'psid-1', Date.now() - 30 * HOUR);
    const a = await bookSoon(200, { channel: 'messenger', userId: 'psid-1' });
    await r.planner.plan(a);
    const worker = r.startWorker();
    const outcomes: unknown[] = [];
    worker.on('completed', (_job, result) => outcomes.push(result));
    await until(() => outcomes.length >= 1, 10_000);
    expect(outcomes[0]).toEqual({ undeliverable: 'window_closed' });
    expect(sent).toEqual([]);
    expect(await r.undeliverable()).toEqual([expect.objectContaining({ appointmentId: a.id, code: a.code, kind: 'two_hours', channel: 'messenger', reason: 'window_closed' })]);
  });

  test('when a Messenger Utility template is configured, then the reminder goes as that template, never with a message tag', async () => {
    const r = reminders({
      channels: { messengerUtilityTemplate: 'nhac_lich_hen' },
      templates: { sendTemplate: async (req) => (templates.push(req), { platformMessageId: 'tpl-1' }) },
    });
    await stores.conversations.touchInbound('messenger', 'psid-2', Date.now() - 30 * HOUR);
    const a = await bookSoon(200, { channel: 'messenger', userId: 'psid-2' });
    await r.planner.plan(a);
    r.startWorker();
    await until(() => templates.length >= 1, 10_000);
    expect(templates[0]).toMatchObject({ channel: 'messenger', userId: 'psid-2', template: 'nhac_lich_hen', language: 'vi', params: { code: a.code, procedure: expect.any(String), date: expect.any(String), time: expect.any(String), place: expect.any(String) } });
    expect(sent).toEqual([]);
  });

  test('when a Zalo reminder falls between 48 h and 7 days, then it is sent only when billed messages are allowed, else by ZNS', async () => {
    await stores.conversations.touchInbound('zalo', 'z-3', Date.now() - 3 * 24 * HOUR);
    const billed = reminders({ channels: { zaloBilledWindow: true } });
    const a = await bookSoon(200, { userId: 'z-3' });
    await billed.planner.plan(a);
    billed.startWorker();
    await until(() => sent.length >= 1, 10_000);
    expect(sent[0]).toMatchObject({ channel: 'zalo', userId: 'z-3' });
    await billed.close();
    open.splice(open.indexOf(billed), 1);

    const zns = reminders({ channels: { zaloZnsTemplateId: '412345' }, templates: { sendTemplate: async (req) => (templates.push(req), {}) } });
    const b = await bookSoon(300, { userId: 'z-3' });
    await zns.planner.plan(b);
    zns.startWorker();
    await until(() => templates.length >= 1, 10_000);
    expect(templates[0]).toMatchObject({ channel: 'zalo', phone: '+84987654321', templateId: '412345', params: { code: b.code } });
  });
  describe('the desk agenda', () => {
    async function seedDesk(): Promise<void> {
      const base = { villages: [], categories: [], onDuty: false, active: true };
      await stores.officials.upsert({ ...base, id: 'mot-cua-1', name: 'Võ Thị Một', role: 'desk', accounts: [{ channel: 'zalo', userId: 'z-desk' }] });
      await stores.officials.upsert({ ...base, id: 'mot-cua-2', name: 'Đã Nghỉ', role: 'desk', active: false, accounts: [{ channel: 'zalo', userId: 'z-old' }] });
      await stores.conversations.touchInbound('zalo', 'z-desk', Date.now() - HOUR);
    }

    async function bookOn(deps: AppointmentDeps, slotKey: string, name: string, at: number): Promise<Appointment> {
      const r = await bookAppointment(deps, { slotKey, name, procedureId: 'khai-sinh', channel: 'zalo', userId: `c-${name}`, locale: 'vi' }, at);
      if (!r.ok) throw new Error(r.code);
      return r.appointment;
    }

    test('when the desk opens today, then each active desk official gets the booked appointments once', async () => {
      await seedDesk();
      const morning = vn('2026-03-09T07:00');
      const r = reminders({ calendar, now: () => morning });
      const deps: AppointmentDeps = { appointments: stores.appointments, calendar, desk };
      const hoa = await bookOn(deps, '2026-03-09T13:30', 'Lê Thị Hoa', vn('2026-03-06T12:00'));
      const binh = await bookOn(deps, '2026-03-09T08:30', 'Trần Văn Bình', vn('2026-03-06T12:00'));
      const cuc = await bookOn(deps, '2026-03-09T08:30', 'Phạm Thị Cúc', vn('2026-03-06T12:00'));
      await stores.appointments.cancel(cuc.id, vn('2026-03-07T12:00'));
      await r.sendAgenda();
      await r.sendAgenda();
      expect(sent.map((m) => m.userId)).toEqual(['z-desk']);
      const text = sent[0]?.message.type === 'text' ? sent[0].message.text : '';
      expect(text.split('\n')).toEqual([
        'Lịch hẹn hôm nay, Thứ Hai, 09/03/2026: 2 lịch hẹn.',
        `8h30 ${binh.code} Trần Văn Bình (Đăng ký khai sinh)`,
        `13h30 ${hoa.code} Lê Thị Hoa (Đăng ký khai sinh)`,
      ]);
    });

    test('when the desk is closed today, then no agenda is sent', async () => {
      await seedDesk();
      const r = reminders({ calendar, now: () => vn('2026-04-30T07:00') });
      expect(await r.sendAgenda()).toEqual({ dropped: 'desk_closed' });
      expect(sent).toEqual([]);
    });

    test('when the daily agenda is scheduled, then it runs at 07:00 in Vietnam whatever the server time zone', async () => {
      const r = reminders({ calendar });
      await r.scheduleDailyAgenda();
      await r.scheduleDailyAgenda();
      const schedulers = await r.queue.getJobSchedulers();
      expect(schedulers).toEqual([expect.objectContaining({ key: 'desk-agenda', pattern: '0 7 * * *', tz: 'Asia/Ho_Chi_Minh' })]);
    });
  });
});
