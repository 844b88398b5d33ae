import { Redis } from 'ioredis';
import { createMessengerSender } from '../../src/channels/messenger';
import { SendError, type ChannelSender } from '../../src/channels/types';
import { createCaseJobs, type CaseJobs } from '../../src/jobs/case-jobs';
import { caseJobId } from '../../src/jobs/case-schedule';
import { createNoticeDelivery, type OutgoingNotice, type TemplateRequest, type TemplateSender } from '../../src/jobs/notice-delivery';
import type { NoticeSettings } from '../../src/shared/messaging-policy';
import { createPendingNotices } from '../../src/jobs/pending-notices';
import { silentLogger } from '../../src/shared/logger';
import type { Stores } from '../../src/store/ports';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { TEST_REDIS_URL, deleteKeys, uniquePrefix } from '../helpers/redis';
import { shippedCalendar } from '../unit/civic/calendar/shipped-calendar';
import { HOUR, fileCase, newStores, recordingSender, seedCommune, until, type SentMessage } from './case-jobs-fixture';

const DAY = 24 * HOUR;
const params = { code: 'PA-7K3M9', status: 'đã giải quyết', dueDate: 'Thứ Sáu, 20/03/2026' };

function citizenNotice(channel: string, userId: string, phone?: string): OutgoingNotice {
  return { id: `n-${channel}-${userId}`, caseId: 'case-1', caseCode: 'PA-7K3M9', kind: 'resolved', recipient: { channel, userId, ...(phone ? { phone } : {}) }, text: 'UBND xã trân trọng thông báo: …', params };
}

describe('case notices and the messaging windows', () => {
  let prefix: string;
  let redis: Redis;
  let stores: Stores;
  let sent: SentMessage[];
  let templates: TemplateRequest[];
  const now = Date.now();

  const templateSender: TemplateSender = {
    async sendTemplate(request) {
      templates.push(request);
      return { platformMessageId: 'tpl-1' };
    },
  };

  function delivery(settings: NoticeSettings = {}, withTemplates = false, senders?: Partial<Record<string, ChannelSender>>) {
    return createNoticeDelivery({
      senders: senders ?? { zalo: recordingSender('zalo', sent), messenger: recordingSender('messenger', sent) },
      officials: stores.officials,
      conversations: stores.conversations,
      pending: createPendingNotices(redis, prefix),
      settings,
      ...(withTemplates ? { templates: templateSender } : {}),
      log: silentLogger,
      now: () => now,
    });
  }

  beforeEach(async () => {
    prefix = uniquePrefix();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    stores = newStores();
    sent = [];
    templates = [];
    await seedCommune(stores, now);
  });

  afterEach(async () => {
    await deleteKeys(prefix);
    await redis.quit();
  });

  test('when the person wrote within 24 h, then the notice is sent as an update and written to their transcript', async () => {
    await stores.conversations.touchInbound('messenger', 'psid-1', now - 23 * HOUR);
    const res = await delivery().deliverNotice(citizenNotice('messenger', 'psid-1'));

    expect(res).toMatchObject({ status: 'sent', channel: 'messenger', billed: false });
    expect(sent).toEqual([{ channel: 'messenger', userId: 'psid-1', message: { type: 'text', text: 'UBND xã trân trọng thông báo: …' }, opts: { purpose: 'update' } }]);
    expect(await stores.conversations.transcript('messenger:psid-1')).toMatchObject([{ direction: 'out', status: 'sent', id: 'notice:n-messenger-psid-1' }]);
  });

  test('when an official is the recipient, then it goes to the linked account they wrote from last', async () => {
    const res = await delivery().deliverNotice({ ...citizenNotice('x', 'y'), recipient: { officialId: 'dia-chinh-1' } });
    expect(res).toMatchObject({ status: 'sent', channel: 'zalo', userId: 'z-dc1' });
  });

  test('when the Messenger window has closed and no template is configured, then the notice is pending, listed for admins, and taken at the next message', async () => {
    await stores.conversations.touchInbound('messenger', 'psid-2', now - 25 * HOUR);
    const d = delivery();
    const pending = createPendingNotices(redis, prefix);

    expect(await d.deliverNotice(citizenNotice('messenger', 'psid-2'))).toEqual({ status: 'pending', channel: 'messenger', userId: 'psid-2', reason: 'window_closed' });
    await d.deliverNotice(citizenNotice('messenger', 'psid-2')); // a retry keeps it once

    expect(sent).toEqual([]);
    expect(await d.pendingNotices()).toEqual([{ channel: 'messenger', userId: 'psid-2', notices: [expect.objectContaining({ id: 'n-messenger-psid-2', caseCode: 'PA-7K3M9', reason: 'window_closed' })] }]);
    expect(await pending.count()).toBe(1);
    expect(await redis.llen(`${prefix}:pending:messenger:psid-2`)).toBe(1);
    expect((await pending.take('messenger', 'psid-2')).map((n) => n.id)).toEqual(['n-messenger-psid-2']);
    expect(await pending.count()).toBe(0);
  });

  test('when a Utility template is configured, then outside 24 h it goes as that template, and waits while no template sender is wired', async () => {
    await stores.conversations.touchInbound('messenger', 'psid-3', now - 3 * DAY);
    const settings = { messengerUtilityTemplate: 'cap_nhat_ho_so' };

    expect(await delivery(settings).deliverNotice(citizenNotice('messenger', 'psid-3'))).toMatchObject({ status: 'pending', reason: 'template_sender_missing' });
    expect(await delivery(settings, true).deliverNotice(citizenNotice('messenger', 'psid-3'))).toMatchObject({ status: 'template', route: 'messenger_utility' });
    expect(templates).toEqual([{ channel: 'messenger', userId: 'psid-3', template: 'cap_nhat_ho_so', language: 'vi', params }]);
    expect(sent).toEqual([]);
  });

  test('when a Zalo user wrote 3 days ago, then a billed consultation goes only if allowed; after 7 days ZNS to their phone when configured, else pending', async () => {
    await stores.conversations.touchInbound('zalo', 'z-3d', now - 3 * DAY);
    await stores.conversations.touchInbound('zalo', 'z-8d', now - 8 * DAY);

    expect(await delivery().deliverNotice(citizenNotice('zalo', 'z-3d'))).toMatchObject({ status: 'pending', reason: 'window_closed' });
    expect(await delivery({ zaloBilledWindow: true }).deliverNotice(citizenNotice('zalo', 'z-3d'))).toMatchObject({ status: 'sent', billed: true });
    expect(await delivery({ zaloBilledWindow: true }).deliverNotice(citizenNotice('zalo', 'z-8d'))).toMatchObject({ status: 'pending', reason: 'window_closed' });
    const zns = { zaloBilledWindow: true, zaloZnsTemplateId: '312345' };
    expect(await delivery(zns, true).deliverNotice(citizenNotice('zalo', 'z-8d'))).toMatchObject({ status: 'pending', reason: 'no_phone' });
    expect(await delivery(zns, true).deliverNotice(citizenNotice('zalo', 'z-8d', '+84912345678'))).toMatchObject({ status: 'template', route: 'zalo_zns' });
    expect(templates).toMatchObject([{ channel: 'zalo', phone: '+84912345678', templateId: '312345', params }]);
    expect(sent.map((s) => s.userId)).toEqual(['z-3d']);
  });

  test('when an official has no linked account, then the notice is pending under "unlinked" for the admins', async () => {
    const res = await delivery().deliverNotice({ ...citizenNotice('x', 'y'), recipient: { officialId: 'no-account' } });
    expect(res).toEqual({ status: 'pending', channel: 'unlinked', userId: 'no-account', reason: 'no_linked_account' });
  });

  describe('over HTTP, through the case worker', () => {
    let fake: Awaited<ReturnType<typeof startFakePlatforms>>;
    let jobs: CaseJobs;

    beforeEach(async () => {
      fake = await startFakePlatforms();
      const messenger = createMessengerSender({ appSecret: 's', verifyToken: 'v', pageAccessToken: 'PAGE_TOKEN', apiBase: fake.messengerBase }, { log: silentLogger });
      jobs = createCaseJobs({ redis, redisUrl: TEST_REDIS_URL, prefix, calendar: shippedCalendar(), cases: stores.cases, officials: stores.officials, conversations: stores.conversations, senders: { messenger, zalo: recordingSender('zalo', sent) }, log: silentLogger, backoffBaseMs: 20 });
      jobs.startWorker();
    });

    afterEach(async () => {
      await jobs.close();
      await fake.close();
    });

    async function noticeToVicechair(): Promise<string> {
      const c = await fileCase(stores, { createdAt: now, dueAt: now + 10 * DAY });
      await jobs.scheduler.enqueueNotices(c, [{ to: 'official', officialId: 'pct-1', kind: 'status_changed' }]);
      return caseJobId.notice({ caseId: c.id, version: c.version, to: 'official', officialId: 'pct-1', kind: 'status_changed' });
    }

    test('when the window is open, then exactly one Send API request goes out as an UPDATE', async () => {
      const id = await noticeToVicechair();
      await until(async () => (await jobs.queue.getJobState(id)) === 'completed');
      expect(fake.sent('messenger')).toHaveLength(1);
      expect(fake.sent('messenger')[0].body).toMatchObject({ recipient: { id: 'm-pct' }, messaging_type: 'UPDATE', message: { text: expect.stringContaining('Kính gửi đồng chí Trần Thị Phó') } });
    });

    test('when the window has closed, then no request reaches the platform and the notice is pending', async () => {
      // the vice chair now uses another Messenger account, silent for 30 h
      await stores.officials.upsert({ id: 'pct-1', name: 'Trần Thị Phó', role: 'vice_chair', villages: [], categories: [], onDuty: false, active: true, accounts: [{ channel: 'messenger', userId: 'm-old' }] });
      await stores.conversations.touchInbound('messenger', 'm-old', now - 30 * HOUR);

      const id = await noticeToVicechair();
      await until(async () => (await jobs.queue.getJobState(id)) === 'completed');
      expect((await jobs.queue.getJob(id))?.returnvalue).toMatchObject({ delivered: [{ status: 'pending', reason: 'window_closed' }] });
      expect(fake.sent('messenger')).toEqual([]);
      expect(await jobs.pending.count()).toBe(1);
    });

    test('when the platform says the window is closed, then the job fails at once without retry and the notice is pending', async () => {
      fake.failNext('messenger', { status: 400, body: { error: { message: 'outside the allowed window', type: 'OAuthException', code: 10, error_subcode: 2018278 } } });
      const id = await noticeToVicechair();
      await until(async () => (await jobs.queue.getJobState(id)) === 'failed');
      const job = await jobs.queue.getJob(id);
      expect(job?.attemptsMade).toBe(1);
      expect(job?.failedReason).toMatch(/window_closed/);
      expect(fake.sent('messenger')).toHaveLength(1);
      expect(await jobs.pending.list()).toMatchObject([{ channel: 'messenger', userId: 'm-pct', notices: [{ reason: 'window_closed' }] }]);
    });

    test('when the platform answers 500 once, then the notice is retried and sent', async () => {
      fake.failNext('messenger', { status: 500, body: { error: { message: 'oops', code: 2 } } });
      const id = await noticeToVicechair();
      await until(async () => (await jobs.queue.getJobState(id)) === 'completed');
      expect(fake.sent('messenger')).toHaveLength(2);
      expect((await jobs.queue.getJob(id))?.attemptsMade).toBe(2);
    });
  });

  test('when a send fails, then a transient error is rethrown for the backoff and a final one is unrecoverable and recorded', async () => {
    const fail = { next: [new SendError('server_error', true, '503'), new SendError('user_unavailable', false, 'blocked')] };
    const d = delivery({}, false, { zalo: recordingSender('zalo', sent, fail) });
    await expect(d.deliverNotice(citizenNotice('zalo', 'citizen-1'))).rejects.toMatchObject({ name: 'SendError', reason: 'server_error' });
    await expect(d.deliverNotice(citizenNotice('zalo', 'citizen-1'))).rejects.toMatchObject({ name: 'UnrecoverableError' });
    expect(await stores.conversations.transcript('zalo:citizen-1')).toMatchObject([{ status: 'failed', error: 'user_unavailable' }]);
  });
});
