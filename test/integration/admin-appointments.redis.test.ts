import { join } from 'node:path';
import { Redis } from 'ioredis';
import request from 'supertest';
import { loadDeskSettings } from '../../src/civic/appointments/desk-settings';
import { loadCatalogue } from '../../src/civic/procedures/catalogue';
import { createAppointmentReminders, type AppointmentReminders } from '../../src/jobs/appointment-reminders';
import { createResultDateJobs, resultJobId, type ResultDateJobs } from '../../src/jobs/result-date-jobs';
import { silentLogger } from '../../src/shared/logger';
import type { Appointment, Stores } from '../../src/store/ports';
import { startConsoleApp } from '../helpers/console-app';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';
import { ROOT, shippedCalendar, vn } from '../unit/civic/calendar/shipped-calendar';
import { HOUR, newStores, recordingSender, until, type SentMessage } from './case-jobs-fixture';

const ADMIN_TOKEN = 'appointments-admin-token-0123456789';
const PASSWORD = 'mat-khau-dai-2025';
const calendar = shippedCalendar();
const catalogue = loadCatalogue(join(ROOT, 'flows/data/procedures.yaml'));
const desk = loadDeskSettings(join(ROOT, 'flows/data/desk.yaml'));

type Who = 'anonymous' | 'viewer' | 'official' | 'admin';

describe('the appointments admin API', () => {
  let prefix: string;
  let redis: Redis;
  let stores: Stores;
  let sent: SentMessage[];
  let reminders: AppointmentReminders;
  let results: ResultDateJobs;
  let consoleApp: Awaited<ReturnType<typeof startConsoleApp>>;
  let clock = vn('2026-03-09T09:00');
  const agents: Record<Who, { cookie?: string; csrf?: string; token?: boolean }> = { anonymous: {}, viewer: {}, official: {}, admin: { token: true } };

  function as(who: Who, method: 'get' | 'post' | 'put', path: string) {
    const a = agents[who];
    let r = request(consoleApp.url)[method](path);
    if (a.token) r = r.set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    if (a.cookie) r = r.set('Cookie', a.cookie);
    if (a.csrf) r = r.set('X-CSRF-Token', a.csrf);
    return r;
  }

  let seq = 0;
  async function book(at: string, who: Partial<Appointment> = {}): Promise<Appointment> {
    const start = vn(at);
    seq++;
    const r = await stores.appointments.book({ key: `${at}-${seq}`, day: at.slice(0, 10), start, end: start + HOUR }, 4, {
      id: `a-${seq}`,
      code: `LH-${at.slice(5, 7)}${at.slice(8, 10)}-${String(seq).padStart(4, 'A')}`,
      procedureId: 'khai-sinh',
      name: who.name ?? 'Lê Thị Hoa',
      phone: '+84987654321',
      channel: who.channel ?? 'zalo',
      userId: who.userId ?? `citizen-${seq}`,
      locale: 'vi',
      createdAt: start - 48 * HOUR,
    });
    if (!r.ok) throw new Error(r.reason);
    return r.appointment;
  }

  beforeAll(async () => {
    prefix = uniquePrefix();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    stores = newStores();
    sent = [];
    const senders = { zalo: recordingSender('zalo', sent), messenger: recordingSender('messenger', sent) };
    const common = { redis, redisUrl: TEST_REDIS_URL, prefix, appointments: stores.appointments, conversations: stores.conversations, officials: stores.officials, catalogue, desk, calendar, senders, log: silentLogger };
    reminders = createAppointmentReminders({ ...common, backoffBaseMs: 50, now: () => clock });
    results = createResultDateJobs({ ...common, now: () => clock });
    const base = { villages: [], categories: [], onDuty: false, active: true, accounts: [] };
    await stores.officials.upsert({ ...base, id: 'mot-cua-1', name: 'Võ Thị Một', role: 'desk' });
    await stores.officials.upsert({ ...base, id: 'tu-phap-1', name: 'Hoàng Văn Tư', role: 'official' });
    consoleApp = await startConsoleApp({
      prefix,
      adminToken: ADMIN_TOKEN,
      stores,
      appointments: {
        appointments: stores.appointments,
        officials: stores.officials,
        calendar,
        catalogue,
        reminders: reminders.planner,
        undeliverable: (limit) => reminders.undeliverable(limit),
        resultNotifier: results.notifier,
        now: () => clock,
      },
    });
    const token = (path: string, body: object) => request(consoleApp.url).post(path).set('Authorization', `Bearer ${ADMIN_TOKEN}`).send(body);
    expect((await token('/admin/api/setup', { username: 'lan', password: PASSWORD })).status).toBe(201);
    expect((await token('/admin/api/users', { username: 'hoa', password: PASSWORD, role: 'viewer' })).status).toBe(201);
    expect((await token('/admin/api/users', { username: 'minh', password: PASSWORD, role: 'official', officialId: 'mot-cua-1' })).status).toBe(201);
    expect((await token('/admin/api/users', { username: 'tuphap', password: PASSWORD, role: 'official', officialId: 'tu-phap-1' })).status).toBe(201);
    for (const [who, name] of [['viewer', 'hoa'], ['official', 'minh']] as const) {
      const res = await request(consoleApp.url).post('/admin/api/login').send({ username: name, password: PASSWORD });
      expect(res.status).toBe(200);
      agents[who] = { cookie: String(res.headers['set-cookie']).split(';')[0], csrf: res.body.csrf };
    }
  });

  afterAll(async () => {
    await consoleApp.close();
    await reminders.close();
    await results.close();
    await deleteKeys(prefix);
    redis.disconnect();
  });

  beforeEach(() => {
    clock = vn('2026-03-09T09:00');
  });

  test.each([
    ['anonymous', 401],
    ['viewer', 403],
    ['official', 200],
    ['admin', 200],
  ] as const)('when %s marks someone attended, then %i', async (who, status) => {
    const a = await book('2026-03-09T08:30');
    const res = await as(who, 'post', `/admin/api/appointments/${a.code}/attendance`).send({ outcome: 'attended' });
    expect(res.status).toBe(status);
    expect((await stores.appointments.get(a.id))?.status).toBe(status === 200 ? 'attended' : 'booked');
  });

  test('when an official marks a no-show, then it is stored with who marked it, the reminders left are removed, and the audit log has it', async () => {
    const a = await book('2026-03-09T08:30');
    const later = await book('2026-03-10T08:30');
    await reminders.planner.plan(later);
    expect(await reminders.plannedIds(later.id)).not.toEqual([]);
    const res = await as('official', 'post', `/admin/api/appointments/${a.code}/attendance`).send({ outcome: 'no_show' });
    expect(res.status).toBe(200);
    expect(res.body.appointment).toMatchObject({ code: a.code, status: 'no_show', markedBy: 'mot-cua-1' });
    const audit = await stores.audit.list({});
    expect(audit).toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'minh', action: 'appointment.attendance', target: `appointment:${a.code}`, before: { status: 'booked', markedBy: null }, after: { status: 'no_show', markedBy: 'mot-cua-1' } })]));

    // Tomorrow's: too early to call it a no-show; marking it attended once the day comes removes its reminders.
    const early = await as('official', 'post', `/admin/api/appointments/${later.code}/attendance`).send({ outcome: 'no_show' });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'TOO_EARLY_TO_MARK' });
    clock = vn('2026-03-10T08:00');
    expect((await as('official', 'post', `/admin/api/appointments/${later.code}/attendance`).send({ outcome: 'attended' })).status).toBe(200);
    expect(await reminders.plannedIds(later.id)).toEqual([]);
  });

  test('when the body or the code is wrong, then a clear error and nothing changes', async () => {
    const a = await book('2026-03-09T08:30');
    const bad = await as('admin', 'post', `/admin/api/appointments/${a.code}/attendance`).send({ outcome: 'came' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    const missing = await as('admin', 'post', '/admin/api/appointments/LH-0101-ZZZZ/attendance').send({ outcome: 'attended' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'APPOINTMENT_NOT_FOUND', message: 'Không có lịch hẹn với mã này.' });
    expect((await stores.appointments.get(a.id))?.status).toBe('booked');
  });

  test("when the day's appointments are listed, then each comes with its status and result date; the viewer is refused", async () => {
    const first = await book('2026-03-11T08:30', { name: 'Trần Văn Bình' });
    const second = await book('2026-03-11T13:30', { name: 'Phạm Thị Cúc' });
    await stores.appointments.cancel(second.id, clock);
    await stores.appointments.changeResultDate(first.id, { what: 'set', day: '2026-03-13', officialId: 'mot-cua-1', by: 'mot-cua-1', at: clock });
    const res = await as('official', 'get', '/admin/api/appointments?day=2026-03-11');
    expect(res.status).toBe(200);
    expect(res.body.day).toBe('2026-03-11');
    expect(res.body.appointments.map((a: { code: string; status: string; result: unknown }) => [a.code, a.status, a.result])).toEqual([
      [first.code, 'booked', { day: '2026-03-13', status: 'promised', officialId: 'mot-cua-1', moves: 0, readyAt: null }],
      [second.code, 'cancelled', null],
    ]);
    // The desk sees the procedure's name, not its id.
    expect(res.body.appointments[0].procedureName).toMatchObject({ vi: 'Đăng ký khai sinh' });
    // Wednesday 11/03/2026: the neighbouring working days are the Tuesday and the Thursday.
    expect(res.body).toMatchObject({ working: true, previousWorkingDay: '2026-03-10', nextWorkingDay: '2026-03-12' });
    // Friday before Giỗ Tổ Hùng Vương (Sunday 26/04/2026, observed on Monday 27/04): the next working day is Tuesday.
    const beforeHoliday = await as('official', 'get', '/admin/api/appointments?day=2026-04-24');
    expect(beforeHoliday.body).toMatchObject({ working: true, nextWorkingDay: '2026-04-28' });
    expect((await as('viewer', 'get', '/admin/api/appointments?day=2026-03-11')).status).toBe(403);
    expect((await as('admin', 'get', '/admin/api/appointments?day=2026-02-30')).status).toBe(400);
  });

  test('when a result date is recorded, moved and marked ready in the console, then a notice to the citizen is queued each time, the jobs follow the day, and the history keeps who and why', async () => {
    const a = await book('2026-03-09T08:30');
    const holiday = await as('official', 'put', `/admin/api/appointments/${a.code}/result-date`).send({ day: '2026-04-30' });
    expect(holiday.status).toBe(400);
    expect(holiday.body.error).toMatchObject({ code: 'RESULT_DATE_NOT_WORKING_DAY' });
    expect((await stores.appointments.get(a.id))?.result).toBeUndefined();

    const set = await as('official', 'put', `/admin/api/appointments/${a.code}/result-date`).send({ day: '2026-03-12' });
    expect(set.status).toBe(200);
    expect(set.body.appointment.result).toMatchObject({ day: '2026-03-12', status: 'promised', officialId: 'mot-cua-1' });
    expect(await results.queue.getJob(resultJobId(a.id, 'told', '2026-03-12'))).toBeDefined();

    // Another official cannot move it; the admin can, with a reason.
    const tu = await request(consoleApp.url).post('/admin/api/login').send({ username: 'tuphap', password: PASSWORD });
    const foreign = await request(consoleApp.url)
      .put(`/admin/api/appointments/${a.code}/result-date`)
      .set('Cookie', String(tu.headers['set-cookie']).split(';')[0])
      .set('X-CSRF-Token', tu.body.csrf)
      .send({ day: '2026-03-16' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toMatchObject({ code: 'RESULT_NOT_YOURS' });

    const moved = await as('admin', 'put', `/admin/api/appointments/${a.code}/result-date`).send({ day: '2026-03-16', reason: 'chờ chữ ký lãnh đạo' });
    expect(moved.status).toBe(200);
    expect(await results.queue.getJob(resultJobId(a.id, 'moved', '2026-03-16'))).toBeDefined();
    expect((await results.queue.getDelayed()).map((j) => j.id).filter((id) => id?.includes(a.id)).every((id) => id?.endsWith('2026-03-16'))).toBe(true);

    const ready = await as('official', 'post', `/admin/api/appointments/${a.code}/result-ready`).send({});
    expect(ready.status).toBe(200);
    expect(ready.body.appointment.resultHistory.map((h: { what: string; by: string; reason?: string }) => [h.what, h.by, h.reason ?? null])).toEqual([
      ['set', 'mot-cua-1', null],
      ['moved', 'admin-token', 'chờ chữ ký lãnh đạo'],
      ['ready', 'mot-cua-1', null],
    ]);
    expect(await results.plannedIds(a.id)).toEqual([]);
    const again = await as('official', 'put', `/admin/api/appointments/${a.code}/result-date`).send({ day: '2026-03-18' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'RESULT_ALREADY_READY' });
    const actions = (await stores.audit.list({})).filter((e) => e.target === `appointment:${a.code}`).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['appointment.result-date', 'appointment.result-date', 'appointment.result-ready']));
  });

  test('when a Messenger citizen is outside the 24 h window at reminder time, then the undeliverable list names them for the admins', async () => {
    clock = Date.now();
    await stores.conversations.touchInbound('messenger', 'psid-far', clock - 30 * HOUR);
    const start = clock + 120 * 60_000 + 300;
    const r = await stores.appointments.book({ key: `soon-${start}`, day: 'soon', start, end: start + HOUR }, 4, {
      id: 'a-far',
      code: 'LH-0309-FARR',
      name: 'Đỗ Thị Xa',
      channel: 'messenger',
      userId: 'psid-far',
      locale: 'vi',
      createdAt: clock,
    });
    if (!r.ok) throw new Error(r.reason);
    await reminders.planner.plan(r.appointment);
    const worker = reminders.startWorker();
    let done = 0;
    worker.on('completed', () => done++);
    await until(() => done >= 1);
    const res = await as('admin', 'get', '/admin/api/appointment-reminders/undeliverable');
    expect(res.status).toBe(200);
    expect(res.body.reminders).toEqual([expect.objectContaining({ code: 'LH-0309-FARR', name: 'Đỗ Thị Xa', channel: 'messenger', userId: 'psid-far', kind: 'two_hours', reason: 'window_closed' })]);
    expect(sent.filter((m) => m.userId === 'psid-far')).toEqual([]);
    expect((await as('viewer', 'get', '/admin/api/appointment-reminders/undeliverable')).status).toBe(403);
  });
});
