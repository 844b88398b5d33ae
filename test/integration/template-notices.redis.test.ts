import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createMessengerSender, createMessengerTemplateSender } from '../../src/channels/messenger';
import { createTemplateSender } from '../../src/channels/template-sender';
import type { ChannelSender, TemplateSender } from '../../src/channels/types';
import { createZaloSender, createZaloTokenManager, createZnsSender } from '../../src/channels/zalo';
import { loadDeskSettings } from '../../src/civic/appointments/desk-settings';
import { formatVietnameseDate, formatVietnameseTime } from '../../src/civic/calendar/format-date';
import { loadCatalogue } from '../../src/civic/procedures/catalogue';
import type { MessengerConfig, ZaloConfig } from '../../src/config';
import { createAppointmentReminders, type AppointmentReminderDeps, type AppointmentReminders, type ReminderOutcome } from '../../src/jobs/appointment-reminders';
import { createCaseJobs, type CaseJobs } from '../../src/jobs/case-jobs';
import { caseJobId } from '../../src/jobs/case-schedule';
import type { NoticeSettings } from '../../src/shared/messaging-policy';
import { createRedisLock } from '../../src/jobs/redis-lock';
import { systemClock } from '../../src/shared/clock';
import { silentLogger } from '../../src/shared/logger';
import type { Appointment, Case, Stores } from '../../src/store/ports';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';
import { ROOT, shippedCalendar, vn } from '../unit/civic/calendar/shipped-calendar';
import { HOUR, newStores, until } from './case-jobs-fixture';

const DAY = 24 * HOUR;
const MIN = 60_000;
const catalogue = loadCatalogue(join(ROOT, 'flows/data/procedures.yaml'));
const desk = loadDeskSettings(join(ROOT, 'flows/data/desk.yaml'));

type Fake = Awaited<ReturnType<typeof startFakePlatforms>>;

describe('notices outside the free windows, against platforms that enforce them', () => {
  let prefix: string;
  let redis: Redis;
  let stores: Stores;
  let fake: Fake;
  let senders: Record<'messenger' | 'zalo', ChannelSender>;
  let templates: TemplateSender;
  const open: { close(): Promise<void> }[] = [];

  beforeEach(async () => {
    prefix = uniquePrefix();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    stores = newStores();
    fake = await startFakePlatforms();
    const messenger: MessengerConfig = { appSecret: 's', verifyToken: 'v', pageAccessToken: 'PAGE_TOKEN', apiBase: fake.messengerBase };
    const zalo: ZaloConfig = { appId: '3482', appSecret: 'app-secret', oaSecretKey: 'oa-secret', accessToken: 'AT-1', refreshToken: 'RT-1', apiBase: fake.zaloBase, oauthBase: fake.zaloOauthBase, znsApiBase: fake.znsBase };
    const tokens = createZaloTokenManager({ config: zalo, store: stores.tokens, lock: createRedisLock(redis, { prefix }), clock: systemClock, log: silentLogger });
    senders = { messenger: createMessengerSender(messenger, { log: silentLogger }), zalo: createZaloSender(zalo, { tokens, log: silentLogger }) };
    templates = createTemplateSender({ messenger: createMessengerTemplateSender(messenger, { log: silentLogger }), zalo: createZnsSender(zalo, { tokens, log: silentLogger }) });
  });

  afterEach(async () => {
    for (const o of open.splice(0)) await o.close();
    await fake.close();
    await deleteKeys(prefix);
    await redis.quit();
  });

  /** The person's last message, as both the commune's store and the platform know it. */
  async function wrote(channel: 'messenger' | 'zalo', userId: string, ago: number, platformAgo = ago): Promise<void> {
    await stores.conversations.touchInbound(channel, userId, Date.now() - ago);
    fake.userWrote(channel, userId, Date.now() - platformAgo);
  }

  function caseJobs(settings: NoticeSettings, withTemplates = true): CaseJobs {
    const jobs = createCaseJobs({
      redis,
      redisUrl: TEST_REDIS_URL,
      prefix,
      calendar: shippedCalendar(),
      cases: stores.cases,
      officials: stores.officials,
      conversations: stores.conversations,
      senders,
      settings,
      ...(withTemplates ? { templates } : {}),
      log: silentLogger,
      backoffBaseMs: 20,
    });
    jobs.startWorker();
    open.push(jobs);
    return jobs;
  }

  async function citizenCase(channel: 'messenger' | 'zalo', userId: string, phone?: string): Promise<Case> {
    const at = Date.now();
    return stores.cases.create({
      kind: 'petition',
      petitionType: 'feedback',
      category: 'land',
      village: 'Thôn Đông',
      content: 'Nhà bên cạnh lấn sang đất nhà tôi khoảng 2 mét.',
      attachments: [],
      channel,
      userId,
      status: 'assigned',
      assigneeId: 'dia-chinh-1',
      dueAt: at + 10 * DAY,
      createdAt: at,
      history: [{ at, by: 'citizen', what: 'received' }],
      ...(phone ? { contact: { phone, consentVersion: 'v1', consentAt: at } } : {}),
    });
  }

  /** Tells the citizen their case moved, through the case queue; resolves with the job's final state. */
  async function noticeToCitizen(jobs: CaseJobs, c: Case): Promise<{ state: string; attempts: number; value: unknown; failedReason?: string }> {
    await jobs.scheduler.enqueueNotices(c, [{ to: 'citizen', kind: 'status_changed' }]);
    const id = caseJobId.notice({ caseId: c.id, version: c.version, to: 'citizen', kind: 'status_changed' });
    let state = '';
    await until(async () => ['completed', 'failed'].includes((state = await jobs.queue.getJobState(id))));
    const job = await jobs.queue.getJob(id);
    return { state, attempts: job?.attemptsMade ?? 0, value: job?.returnvalue, ...(job?.failedReason ? { failedReason: job.failedReason } : {}) };
  }

  const caseParams = (c: Case) => [c.code, 'đã giao cán bộ phụ trách', formatVietnameseDate(c.dueAt)];

  describe('case updates', () => {
    test('when a Messenger citizen last wrote 3 days ago and a Utility template is set, then the update goes as that template with code, status and due date', async () => {
      await wrote('messenger', 'psid-3d', 3 * DAY);
      const c = await citizenCase('messenger', 'psid-3d');
      const done = await noticeToCitizen(caseJobs({ messengerUtilityTemplate: 'cap_nhat_ho_so' }), c);

      expect(done).toMatchObject({ state: 'completed', value: { delivered: [{ status: 'template', route: 'messenger_utility' }] } });
      expect(fake.requests.map((r) => r.outcome)).toEqual(['accepted']);
      expect(fake.accepted('messenger')[0]?.body).toEqual({
        recipient: { id: 'psid-3d' },
        messaging_type: 'UTILITY',
        message: { template: { name: 'cap_nhat_ho_so', language: { code: 'vi' }, components: [{ type: 'body', parameters: caseParams(c).map((text) => ({ type: 'text', text })) }] } },
      });
      expect(await stores.conversations.transcript('messenger:psid-3d')).toMatchObject([{ direction: 'out', status: 'sent' }]);
    });

    test('when no Utility template is set, then nothing reaches Messenger and the update waits for the citizen’s next message', async () => {
      await wrote('messenger', 'psid-3d', 3 * DAY);
      const c = await citizenCase('messenger', 'psid-3d');
      const jobs = caseJobs({});
      const done = await noticeToCitizen(jobs, c);

      expect(done).toMatchObject({ state: 'completed', value: { delivered: [{ status: 'pending', reason: 'window_closed' }] } });
      expect(fake.requests).toEqual([]);
      expect((await jobs.pending.take('messenger', 'psid-3d')).map((n) => n.caseCode)).toEqual([c.code]);
    });

    test('when a Zalo citizen last wrote 3 days ago and the billed window is on, then a consultation message goes out (billed)', async () => {
      await wrote('zalo', 'z-3d', 3 * DAY);
      const c = await citizenCase('zalo', 'z-3d', '+84912345678');
      const done = await noticeToCitizen(caseJobs({ zaloBilledWindow: true, zaloZnsTemplateId: '312345' }), c);

      expect(done).toMatchObject({ state: 'completed', value: { delivered: [{ status: 'sent', billed: true }] } });
      expect(fake.accepted('zalo')).toHaveLength(1);
      expect(fake.accepted('zalo')[0]?.body).toMatchObject({ recipient: { user_id: 'z-3d' }, message: { text: expect.stringContaining(c.code) } });
      expect(fake.sent('zalo-zns')).toEqual([]);
    });

    test('when a Zalo citizen last wrote 10 days ago and gave a phone, then the update goes by ZNS with the case template', async () => {
      await wrote('zalo', 'z-10d', 10 * DAY);
      const c = await citizenCase('zalo', 'z-10d', '+84912345678');
      const done = await noticeToCitizen(caseJobs({ zaloBilledWindow: true, zaloZnsTemplateId: '312345' }), c);

      expect(done).toMatchObject({ state: 'completed', value: { delivered: [{ status: 'template', route: 'zalo_zns' }] } });
      expect(fake.sent('zalo')).toEqual([]);
      const zns = fake.accepted('zalo-zns');
      expect(zns).toHaveLength(1);
      const [code, status, dueDate] = caseParams(c);
      expect(zns[0]?.body).toEqual({ phone: '84912345678', template_id: '312345', template_data: { ma_ho_so: code, trang_thai: status, han_xu_ly: dueDate }, tracking_id: expect.stringMatching(/^[A-Za-z0-9_-]{27}$/) });
      expect(zns[0]?.headers.access_token).toBe('AT-1');
    });

    test('when a Zalo citizen last wrote 10 days ago without a phone, then nothing is sent and the update is pending', async () => {
      await wrote('zalo', 'z-10d', 10 * DAY);
      const c = await citizenCase('zalo', 'z-10d');
      const jobs = caseJobs({ zaloBilledWindow: true, zaloZnsTemplateId: '312345' });
      const done = await noticeToCitizen(jobs, c);

      expect(done).toMatchObject({ state: 'completed', value: { delivered: [{ status: 'pending', reason: 'no_phone' }] } });
      expect(fake.requests).toEqual([]);
      expect(await jobs.pending.list()).toMatchObject([{ channel: 'zalo', userId: 'z-10d', notices: [{ caseCode: c.code, reason: 'no_phone' }] }]);
    });

    test('when Messenger judges the window closed (a message the store never saw as last), then the job fails once, not retried, and the update is pending', async () => {
      // the store believes 1 h; the platform's last inbound for this person is 2 days ago
      await wrote('messenger', 'psid-x', HOUR, 2 * DAY);
      const c = await citizenCase('messenger', 'psid-x');
      const jobs = caseJobs({});
      const done = await noticeToCitizen(jobs, c);

      expect(done).toMatchObject({ state: 'failed', attempts: 1, failedReason: expect.stringMatching(/window_closed/) });
      expect(fake.requests.map((r) => [r.body.messaging_type, r.outcome])).toEqual([['UPDATE', '10/2018278']]);
      expect(await jobs.pending.list()).toMatchObject([{ channel: 'messenger', userId: 'psid-x', notices: [{ reason: 'window_closed' }] }]);
      expect(await stores.conversations.transcript('messenger:psid-x')).toMatchObject([{ status: 'pending', error: 'window_closed' }]);
    });

    test('when Zalo answers -230 (no interaction in 7 days), then the job fails once, not retried, and the update is pending', async () => {
      await wrote('zalo', 'z-x', 3 * DAY, 9 * DAY);
      const c = await citizenCase('zalo', 'z-x');
      const jobs = caseJobs({ zaloBilledWindow: true });
      const done = await noticeToCitizen(jobs, c);

      expect(done).toMatchObject({ state: 'failed', attempts: 1, failedReason: expect.stringMatching(/window_closed/) });
      expect(fake.requests.map((r) => r.outcome)).toEqual(['-230']);
      expect(await jobs.pending.list()).toMatchObject([{ channel: 'zalo', userId: 'z-x', notices: [{ reason: 'window_closed' }] }]);
    });
  });

  describe('appointment reminders', () => {
    function reminders(channels: { messengerUtilityTemplate?: string; zaloZnsTemplateId?: string }, extra: Partial<AppointmentReminderDeps> = {}): AppointmentReminders {
      const r = createAppointmentReminders({
        redis,
        redisUrl: TEST_REDIS_URL,
        prefix,
        appointments: stores.appointments,
        conversations: stores.conversations,
        officials: stores.officials,
        catalogue,
        desk,
        senders,
        channels,
        templates,
        log: silentLogger,
        backoffBaseMs: 50,
        ...extra,
      });
      open.push(r);
      return r;
    }

    /** An appointment whose two-hour reminder is due `inMs` from now (the day-before one is past). */
    async function bookSoon(inMs: number, channel: 'messenger' | 'zalo', userId: string): Promise<Appointment> {
      const start = Date.now() + 120 * MIN + inMs;
      const result = await stores.appointments.book({ key: `soon-${start}`, day: 'soon', start, end: start + HOUR }, 4, {
        id: `a-${start}`,
        code: `LH-${start}`,
        procedureId: 'khai-sinh',
        name: 'Lê Thị Hoa',
        phone: '+84987654321',
        channel,
        userId,
        locale: 'vi',
        createdAt: Date.now(),
      });
      if (!result.ok) throw new Error('booking failed');
      return result.appointment;
    }

    async function firstOutcome(r: AppointmentReminders, a: Appointment): Promise<ReminderOutcome> {
      await r.planner.plan(a);
      const outcomes: ReminderOutcome[] = [];
      r.startWorker().on('completed', (_job, result) => outcomes.push(result));
      await until(() => outcomes.length >= 1);
      return outcomes[0] as ReminderOutcome;
    }

    const reminderValues = (a: Appointment) => ['Đăng ký khai sinh', formatVietnameseDate(a.slot.start), `${formatVietnameseTime(a.slot.start)}-${formatVietnameseTime(a.slot.end)}`];

    test('when a Messenger reminder falls 30 h after the last message, then it goes through the reminder template with procedure, date, time and place', async () => {
      await wrote('messenger', 'psid-30h', 30 * HOUR);
      const a = await bookSoon(200, 'messenger', 'psid-30h');
      const outcome = await firstOutcome(reminders({ messengerUtilityTemplate: 'nhac_lich_hen' }), a);

      expect(outcome).toMatchObject({ delivered: { status: 'template', route: 'messenger_utility' } });
      const body = fake.accepted('messenger')[0]?.body as { messaging_type: string; message: { template: { name: string; components: { parameters: { text: string }[] }[] } } };
      expect(body.messaging_type).toBe('UTILITY');
      expect(body.message.template.name).toBe('nhac_lich_hen');
      const texts = body.message.template.components[0]?.parameters.map((p) => p.text) ?? [];
      expect(texts.slice(0, 3)).toEqual(reminderValues(a));
      expect(texts[3]).toEqual(expect.any(String));
      expect(texts).toHaveLength(4);
    });

    test('when a Zalo reminder falls 10 days after the last interaction, then it goes by ZNS with the reminder template', async () => {
      await wrote('zalo', 'z-10d', 10 * DAY);
      const a = await bookSoon(200, 'zalo', 'z-10d');
      const outcome = await firstOutcome(reminders({ zaloZnsTemplateId: '412345' }), a);

      expect(outcome).toMatchObject({ delivered: { status: 'template', route: 'zalo_zns' } });
      const [procedure, date, time] = reminderValues(a);
      expect(fake.accepted('zalo-zns')[0]?.body).toMatchObject({ phone: '84987654321', template_id: '412345', template_data: { thu_tuc: procedure, ngay_hen: date, gio_hen: time, dia_diem: expect.any(String) } });
      expect(fake.sent('zalo')).toEqual([]);
    });

    test('when a desk official’s window has closed, then the day’s agenda waits for their next message instead of going through the reminder template', async () => {
      const morning = vn('2026-03-09T07:00');
      await stores.officials.upsert({ id: 'mot-cua-1', name: 'Võ Thị Một', role: 'desk', villages: [], categories: [], onDuty: false, active: true, accounts: [{ channel: 'messenger', userId: 'm-desk' }] });
      await stores.conversations.touchInbound('messenger', 'm-desk', morning - 2 * DAY);
      const r = reminders({ messengerUtilityTemplate: 'nhac_lich_hen' }, { calendar: shippedCalendar(), now: () => morning });

      expect(await r.sendAgenda()).toEqual({ agenda: [{ status: 'pending', channel: 'messenger', userId: 'm-desk', reason: 'window_closed' }] });
      expect(fake.requests).toEqual([]);
    });
  });
});
