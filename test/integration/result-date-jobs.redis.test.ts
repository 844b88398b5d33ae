import { join } from 'node:path';
import { Redis } from 'ioredis';
import { loadDeskSettings } from '../../src/civic/appointments/desk-settings';
import { confirmResultDate, markResultReady, moveResultDate, recordResultDate, type ResultActor, type ResultDateDeps } from '../../src/civic/appointments/result-dates';
import { loadCatalogue } from '../../src/civic/procedures/catalogue';
import { createResultDateJobs, resultJobId, type ResultDateJobDeps, type ResultDateJobs, type ResultJobOutcome } from '../../src/jobs/result-date-jobs';
import { createPendingNotices } from '../../src/jobs/pending-notices';
import { silentLogger } from '../../src/shared/logger';
import type { Appointment, Stores } from '../../src/store/ports';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';
import { untilIdle } from '../helpers/until';
import { ROOT, shippedCalendar, vn } from '../unit/civic/calendar/shipped-calendar';
import { HOUR, newStores, recordingSender, until, type SentMessage } from './case-jobs-fixture';

const calendar = shippedCalendar();
const catalogue = loadCatalogue(join(ROOT, 'flows/data/procedures.yaml'));
const desk = loadDeskSettings(join(ROOT, 'flows/data/desk.yaml'));
const deskOfficial: ResultActor = { by: 'mot-cua-1', officialId: 'mot-cua-1', supervisor: false };
const textOf = (m: SentMessage | undefined) => (m?.message.type === 'text' ? m.message.text : '');

describe('result dates on real Redis', () => {
  let prefix: string;
  let redis: Redis;
  let stores: Stores;
  let sent: SentMessage[];
  let clock: number;
  const open: ResultDateJobs[] = [];

  function jobs(extra: Partial<ResultDateJobDeps> = {}): ResultDateJobs {
    const j = createResultDateJobs({
      redis,
      redisUrl: TEST_REDIS_URL,
      prefix,
      appointments: stores.appointments,
      conversations: stores.conversations,
      officials: stores.officials,
      catalogue,
      desk,
      calendar,
      senders: { zalo: recordingSender('zalo', sent), messenger: recordingSender('messenger', sent) },
      log: silentLogger,
      backoffBaseMs: 50,
      now: () => clock,
      ...extra,
    });
    open.push(j);
    return j;
  }

  const useCases = (j: ResultDateJobs): ResultDateDeps => ({ appointments: stores.appointments, calendar, notifier: j.notifier, now: () => clock });

  async function book(who: Partial<Appointment> = {}): Promise<Appointment> {
    const start = vn('2026-03-09T08:30');
    const r = await stores.appointments.book({ key: '2026-03-09T08:30', day: '2026-03-09', start, end: start + HOUR }, 4, {
      id: `a-${who.userId ?? 'citizen-1'}`,
      code: who.code ?? 'LH-0309-4K7P',
      procedureId: 'khai-sinh',
      name: 'Lê Thị Hoa',
      channel: who.channel ?? 'zalo',
      userId: who.userId ?? 'citizen-1',
      locale: 'vi',
      createdAt: start - 24 * HOUR,
    });
    if (!r.ok) throw new Error(r.reason);
    return r.appointment;
  }

  async function delayed(j: ResultDateJobs): Promise<Array<{ id: string; delay: number }>> {
    return (await j.queue.getDelayed()).map((job) => ({ id: job.id ?? '', delay: job.opts.delay ?? 0 })).sort((a, b) => a.delay - b.delay);
  }

  beforeEach(async () => {
    prefix = uniquePrefix();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    stores = newStores();
    sent = [];
    clock = vn('2026-03-09T09:00');
    await stores.officials.upsert({ id: 'mot-cua-1', name: 'Võ Thị Một', role: 'desk', villages: [], categories: [], onDuty: false, active: true, accounts: [{ channel: 'zalo', userId: 'z-desk' }] });
  });

  afterEach(async () => {
    for (const j of open.splice(0)) await j.close();
    await deleteKeys(prefix);
    redis.disconnect();
  });

  async function touch(): Promise<void> {
    await stores.conversations.touchInbound('zalo', 'citizen-1', clock - HOUR);
    await stores.conversations.touchInbound('zalo', 'z-desk', clock - HOUR);
  }

  test('when a result date is recorded, then the citizen is told the date at once and the reminders and the check are planned', async () => {
    await touch();
    const j = jobs();
    const a = await book();
    const outcome = await recordResultDate(useCases(j), { code: a.code, day: '2026-03-12', actor: deskOfficial });
    expect(outcome.ok).toBe(true);
    expect(await delayed(j)).toEqual([
      { id: resultJobId(a.id, 'check', '2026-03-12'), delay: vn('2026-03-11T09:00') - clock },
      { id: resultJobId(a.id, 'remind_day_before', '2026-03-12'), delay: vn('2026-03-11T16:00') - clock },
      { id: resultJobId(a.id, 'remind_morning', '2026-03-12'), delay: vn('2026-03-12T07:00') - clock },
    ]);
    j.startWorker();
    await until(() => sent.length >= 1);
    expect(sent[0]).toMatchObject({ channel: 'zalo', userId: 'citizen-1', opts: { purpose: 'update' } });
    expect(textOf(sent[0])).toBe(
      'Xã đã tiếp nhận hồ sơ của ông/bà Lê Thị Hoa (lịch hẹn LH-0309-4K7P, Đăng ký khai sinh). Ngày hẹn trả kết quả: Thứ Năm, 12/03/2026. Xã sẽ nhắn nhắc ông/bà trước ngày hẹn và báo ngay khi có kết quả. Cảm ơn ông/bà!',
    );
  });

  test('when the result day is after a weekend, then the official is asked on the working day before, through their linked account', async () => {
    // Result on Monday 16/03: the check is on Friday 13/03 at 09:00, not on Sunday.
    clock = vn('2026-03-13T09:00') - 400;
    await touch();
    const j = jobs();
    const a = await book();
    await recordResultDate(useCases(j), { code: a.code, day: '2026-03-16', actor: deskOfficial });
    expect((await delayed(j)).map((d) => d.id)).toContain(resultJobId(a.id, 'check', '2026-03-16'));
    const worker = j.startWorker();
    const outcomes: ResultJobOutcome[] = [];
    worker.on('completed', (_job, r) => outcomes.push(r));
    await until(() => sent.some((m) => m.userId === 'z-desk'));
    const check = sent.find((m) => m.userId === 'z-desk');
    expect(textOf(check).split('\n')).toEqual([
      'Hồ sơ của công dân Lê Thị Hoa (lịch hẹn LH-0309-4K7P, Đăng ký khai sinh) hẹn trả kết quả Thứ Hai, 16/03/2026. Xin đồng chí xác nhận:',
      '• DUNGHEN LH-0309-4K7P: kết quả sẽ có đúng hẹn',
      '• SANSANG LH-0309-4K7P: kết quả đã có (công dân được báo ngay)',
      '• DOIHEN LH-0309-4K7P <ngày/tháng> <lý do>: chưa kịp, hẹn lại (công dân nhận lời xin lỗi kèm ngày mới)',
    ]);
    await until(() => outcomes.length >= 2);
    expect(await j.plannedIds(a.id)).toEqual([resultJobId(a.id, 'remind_day_before', '2026-03-16'), resultJobId(a.id, 'remind_morning', '2026-03-16')].sort());
  });

  test('when the official sets a new date, then the citizen gets an apology with the new date and the reason, and the jobs move to the new day', async () => {
    await touch();
    const j = jobs();
    const a = await book();
    const deps = useCases(j);
    await recordResultDate(deps, { code: a.code, day: '2026-03-12', actor: deskOfficial });
    const moved = await moveResultDate(deps, { code: a.code, day: '2026-03-17', actor: deskOfficial, reason: 'chờ xác minh thông tin hộ tịch' });
    expect(moved.ok).toBe(true);
    const ids = (await delayed(j)).map((d) => d.id).sort();
    const expected = ['check', 'remind_day_before', 'remind_morning'].map((k) => resultJobId(a.id, k, '2026-03-17')).sort();
    expect(ids).toEqual(expected);
    expect(await j.plannedIds(a.id)).toEqual(expected);
    j.startWorker();
    await until(() => sent.length >= 1);
    await untilIdle(j.queue);
    // The first notice was superseded before it went out: only the apology reaches the citizen.
    expect(sent.map(textOf)).toEqual([
      'Xin lỗi ông/bà Lê Thị Hoa: hồ sơ của ông/bà (lịch hẹn LH-0309-4K7P) chưa có kết quả đúng hẹn ngày Thứ Năm, 12/03/2026. Lý do: chờ xác minh thông tin hộ tịch. Xã xin hẹn lại ngày trả kết quả: Thứ Ba, 17/03/2026. Mong ông/bà thông cảm. Cảm ơn ông/bà!',
    ]);
  });

  test('when the result is marked ready, then the citizen is told and every reminder and the check are removed', async () => {
    await touch();
    const j = jobs();
    const a = await book();
    const deps = useCases(j);
    await recordResultDate(deps, { code: a.code, day: '2026-03-12', actor: deskOfficial });
    j.startWorker();
    await until(() => sent.length >= 1);
    expect((await markResultReady(deps, { code: a.code, actor: deskOfficial })).ok).toBe(true);
    await until(() => sent.length >= 2);
    expect(textOf(sent[1])).toContain('Hồ sơ của ông/bà Lê Thị Hoa (lịch hẹn LH-0309-4K7P) đã có kết quả. Mời ông/bà đến nhận tại');
    expect(await delayed(j)).toEqual([]);
    expect(await j.plannedIds(a.id)).toEqual([]);
  });

  test('when every process restarts between recording and the reminder, then the reminder is still sent, once', async () => {
    // Recorded at 15:59:59.6 the day before: the day-before reminder is due at 16:00.
    clock = vn('2026-03-11T16:00') - 400;
    await touch();
    const before = jobs();
    const a = await book();
    await recordResultDate(useCases(before), { code: a.code, day: '2026-03-12', actor: deskOfficial });
    await before.plan((await stores.appointments.get(a.id))!); // planning again is harmless
    await before.close();
    open.splice(open.indexOf(before), 1);
    const after = jobs();
    after.startWorker();
    await until(() => sent.filter((m) => m.userId === 'citizen-1').length >= 2);
    await untilIdle(after.queue);
    const texts = sent.filter((m) => m.userId === 'citizen-1').map(textOf);
    expect(texts).toHaveLength(2);
    expect(texts).toEqual(expect.arrayContaining([expect.stringContaining('Ngày hẹn trả kết quả: Thứ Năm, 12/03/2026'), expect.stringContaining('Nhắc ông/bà: Ngày mai, Thứ Năm, 12/03/2026, là ngày hẹn trả kết quả hồ sơ')]));
  });

  test('when a Messenger citizen is outside the 24 h window, then the notice waits as pending for their next message', async () => {
    await stores.conversations.touchInbound('messenger', 'psid-9', clock - 30 * HOUR);
    const j = jobs();
    const a = await book({ channel: 'messenger', userId: 'psid-9', code: 'LH-0309-9ABC' });
    await recordResultDate(useCases(j), { code: a.code, day: '2026-03-12', actor: deskOfficial });
    const worker = j.startWorker();
    const outcomes: ResultJobOutcome[] = [];
    worker.on('completed', (_job, r) => outcomes.push(r));
    await until(() => outcomes.length >= 1);
    expect(outcomes[0]).toEqual({ delivered: { status: 'pending', channel: 'messenger', userId: 'psid-9', reason: 'window_closed' } });
    expect(sent).toEqual([]);
    const waiting = await createPendingNotices(redis, prefix).take('messenger', 'psid-9');
    expect(waiting).toEqual([expect.objectContaining({ caseCode: a.code, kind: 'result_told', text: expect.stringContaining('Ngày hẹn trả kết quả: Thứ Năm, 12/03/2026') })]);
  });

  test('when a result date was stored but its notice never queued, then the re-plan at start sends it, once', async () => {
    await touch();
    const a = await book();
    // Stored by a process whose Redis write failed right after: no notice, no jobs.
    await stores.appointments.changeResultDate(a.id, { what: 'set', day: '2026-03-12', officialId: 'mot-cua-1', by: 'mot-cua-1', at: clock });
    const j = jobs();
    await j.replanAll();
    const worker = j.startWorker();
    let done = 0;
    worker.on('completed', () => done++);
    await until(() => done >= 1);
    await j.replanAll();
    await untilIdle(j.queue);
    expect(sent.map(textOf)).toEqual([expect.stringContaining('Ngày hẹn trả kết quả: Thứ Năm, 12/03/2026')]);
    expect(await j.plannedIds(a.id)).toHaveLength(3);
  });

  test('when a reminder has to wait for the citizen, then it names the date rather than "tomorrow"', async () => {
    clock = vn('2026-03-11T16:00') - 400;
    await stores.conversations.touchInbound('messenger', 'psid-8', clock - 30 * HOUR);
    const j = jobs();
    const a = await book({ channel: 'messenger', userId: 'psid-8', code: 'LH-0309-8DEF' });
    await recordResultDate(useCases(j), { code: a.code, day: '2026-03-12', actor: deskOfficial });
    const worker = j.startWorker();
    let done = 0;
    worker.on('completed', () => done++);
    await until(() => done >= 2);
    const waiting = await createPendingNotices(redis, prefix).take('messenger', 'psid-8');
    expect(waiting.map((n) => n.kind).sort()).toEqual(['result_remind_day_before', 'result_told']);
    expect(waiting.find((n) => n.kind === 'result_remind_day_before')?.text).toMatch(/^Nhắc ông\/bà: Ngày Thứ Năm, 12\/03\/2026 là ngày hẹn trả kết quả hồ sơ/);
  });

  test('when the official already confirmed the day, then the check the working day before does not ask again', async () => {
    clock = vn('2026-03-13T09:00') - 400;
    await touch();
    const j = jobs();
    const a = await book();
    await recordResultDate(useCases(j), { code: a.code, day: '2026-03-16', actor: deskOfficial });
    await confirmResultDate(useCases(j), { code: a.code, actor: deskOfficial });
    const worker = j.startWorker();
    const outcomes: ResultJobOutcome[] = [];
    worker.on('completed', (_job, r) => outcomes.push(r));
    await until(() => outcomes.length >= 2);
    expect(outcomes).toContainEqual({ dropped: 'already_confirmed' });
    expect(sent.filter((m) => m.userId === 'z-desk')).toEqual([]);
  });
});
