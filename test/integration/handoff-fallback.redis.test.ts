import { join } from 'node:path';
import { Redis } from 'ioredis';
import { CASE_CATEGORY_IDS } from '../../src/civic/cases';
import { createHandoffService, type HandoffService } from '../../src/civic/handoff/handoff-service';
import { fileUnansweredHandoff } from '../../src/civic/handoff/unanswered-case';
import { loadRoutingRules } from '../../src/civic/officials/routing-rules';
import { seedOfficials } from '../../src/civic/officials/seed-officials';
import { createCaseJobs, type CaseJobs } from '../../src/jobs/case-jobs';
import { createHandoffJobs, type HandoffJobs } from '../../src/jobs/handoff-jobs';
import { silentLogger } from '../../src/shared/logger';
import { createMemoryStores } from '../../src/store/memory';
import type { Stores } from '../../src/store/ports';
import { shippedCalendar, vn } from '../unit/civic/calendar/shipped-calendar';
import { TEST_REDIS_URL, deleteKeys, uniquePrefix } from '../helpers/redis';
import { untilIdle } from '../helpers/until';
import { recordingSender, until, type SentMessage } from './case-jobs-fixture';

// The take-within fallback counts office-hours minutes, so this suite runs the hand-off jobs on a clock
// set to a Monday 09:00 in Vietnam (moving with real time): the delayed jobs still wait in real Redis.
const calendar = shippedCalendar();
const routing = loadRoutingRules(join(__dirname, '../../flows/data/routing.yaml'), { categories: CASE_CATEGORY_IDS });
const CITIZEN = 'z-citizen';

describe('a hand-off nobody takes in time', () => {
  jest.setTimeout(30_000);
  let prefix: string;
  let redis: Redis;
  let stores: Stores;
  let sent: SentMessage[];
  let caseJobs: CaseJobs;
  let handoffJobs: HandoffJobs;
  let service: HandoffService;

  const texts = (userId: string) => sent.filter((s) => s.userId === userId).map((s) => (s.message.type === 'text' ? s.message.text : ''));

  beforeEach(async () => {
    prefix = uniquePrefix();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    stores = createMemoryStores();
    sent = [];
    const realStart = Date.now();
    const now = () => vn('2026-03-09T09:00') + (Date.now() - realStart);
    await seedOfficials(stores.officials, routing);
    const vp = await stores.officials.get('van-phong');
    await stores.officials.upsert({ ...vp!, accounts: [{ channel: 'zalo', userId: 'z-vp' }] });
    await stores.conversations.touchInbound('zalo', 'z-vp', now());
    await stores.conversations.touchInbound('zalo', CITIZEN, now());
    const senders = { zalo: recordingSender('zalo', sent) };
    caseJobs = createCaseJobs({ redis, redisUrl: TEST_REDIS_URL, prefix, calendar, cases: stores.cases, officials: stores.officials, conversations: stores.conversations, senders, log: silentLogger, now, backoffBaseMs: 50 });
    handoffJobs = createHandoffJobs({
      redis,
      redisUrl: TEST_REDIS_URL,
      prefix,
      handoffs: stores.handoffs,
      officials: stores.officials,
      conversations: stores.conversations,
      senders,
      delivery: caseJobs.delivery,
      pending: caseJobs.pending,
      calendar,
      fileUnanswered: (h) => fileUnansweredHandoff({ cases: stores.cases, officials: stores.officials, routing, calendar, now }, h),
      afterCaseChange: (outcome) => caseJobs.afterCaseChange(outcome),
      // 0.05 office minutes: 3 s after the request, inside Monday morning's session.
      settings: { takeWithinMinutes: 0.05 },
      log: silentLogger,
      now,
      backoffBaseMs: 50,
    });
    service = createHandoffService({ handoffs: stores.handoffs, officials: stores.officials, routing, calendar, recentLines: async () => [], relay: handoffJobs.relay, now });
    caseJobs.startWorker();
    handoffJobs.startWorker();
  });

  afterEach(async () => {
    await handoffJobs.close();
    await caseJobs.close();
    await deleteKeys(prefix);
    await redis.quit();
  });

  test('when nobody takes it within the office-hours minutes, then a petition holds the topic and the waiting messages, and the citizen is told its code and due date', async () => {
    const { handoff } = await service.request({ channel: 'zalo', userId: CITIZEN, topic: 'Đường vào xóm bị sạt lở', village: 'thôn 1', locale: 'vi' });
    await service.citizenWrote(handoff, { id: 'z-msg-1', at: Date.now(), text: 'Xe máy không đi qua được' });
    // "other" in a village is a village matter: Thôn 1's head is told (routing.yaml), as for a petition.
    expect(handoff.notifiedIds[0]).toBe('truong-thon-1');

    await until(async () => (await stores.handoffs.get(handoff.id))?.status === 'ended', 15_000);
    const ended = await stores.handoffs.get(handoff.id);
    expect(ended).toMatchObject({ endReason: 'unanswered', caseCode: expect.stringMatching(/^PA-/) });
    const c = await stores.cases.findByCode(ended!.caseCode!);
    expect(c).toMatchObject({ channel: 'zalo', userId: CITIZEN, village: 'Thôn 1', status: 'assigned' });
    expect(c!.content).toContain('Đường vào xóm bị sạt lở');
    expect(c!.content).toContain('Xe máy không đi qua được');
    expect(c!.content).toContain(handoff.code);
    expect(c!.petitionType).toBe('feedback');
    expect(c!.content.startsWith('Người dân yêu cầu gặp cán bộ')).toBe(true);

    await until(() => texts(CITIZEN).some((t) => t.includes(c!.code)), 15_000);
    const told = texts(CITIZEN).find((t) => t.includes(c!.code))!;
    expect(told).toContain('Xin lỗi');
    expect(told).toMatch(/trước Thứ [A-Za-zÀ-ỹ]+, \d\d\/\d\d\/2026/);
    // The petition's assignee is told through the case jobs, as for any petition.
    expect(c!.assigneeId).toBeDefined();
  });

  test('when an official takes it in time, then no petition is opened when the deadline passes', async () => {
    const { handoff } = await service.request({ channel: 'zalo', userId: CITIZEN, topic: 'Hỏi về trợ cấp', locale: 'vi' });
    const official = await stores.officials.get('van-phong');
    await service.take(handoff.code, official!);
    // the take-within timer has fired (or was removed), and whatever it started has run
    const timer = (await handoffJobs.queue.getJobs(['delayed', 'waiting', 'active', 'completed'])).find((j) => j.data.type === 'unanswered');
    if (timer?.id) await until(async () => ['completed', 'unknown'].includes(await handoffJobs.queue.getJobState(timer.id!)), 15_000);
    await untilIdle([handoffJobs.queue, caseJobs.queue]);
    expect(await stores.handoffs.get(handoff.id)).toMatchObject({ status: 'active', officialId: 'van-phong' });
    expect((await stores.cases.list({ limit: 10 })).cases).toHaveLength(0);
    expect(texts(CITIZEN).join(' ')).toContain('đang trả lời');
  });
});
