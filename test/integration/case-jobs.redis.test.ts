import { Redis } from 'ioredis';
import { addWorkingDays } from '../../src/civic/calendar/working-days';
import { createCaseJobs, type CaseJobs } from '../../src/jobs/case-jobs';
import type { CaseJobData } from '../../src/jobs/case-schedule';
import { silentLogger } from '../../src/shared/logger';
import type { Stores } from '../../src/store/ports';
import { shippedCalendar, vn } from '../unit/civic/calendar/shipped-calendar';
import { TEST_REDIS_URL, deleteKeys, uniquePrefix } from '../helpers/redis';
import { untilIdle } from '../helpers/until';
import { fileCase, newStores, recordingSender, seedCommune, until, type SentMessage } from './case-jobs-fixture';

const calendar = shippedCalendar();

describe('case deadline jobs on real Redis', () => {
  let prefix: string;
  let redis: Redis;
  let stores: Stores;
  let sent: SentMessage[];
  const open: CaseJobs[] = [];

  function caseJobs(now?: () => number): CaseJobs {
    const jobs = createCaseJobs({
      redis,
      redisUrl: TEST_REDIS_URL,
      prefix,
      calendar,
      cases: stores.cases,
      officials: stores.officials,
      conversations: stores.conversations,
      senders: { zalo: recordingSender('zalo', sent), messenger: recordingSender('messenger', sent) },
      log: silentLogger,
      now,
      backoffBaseMs: 50,
    });
    open.push(jobs);
    return jobs;
  }

  async function delayed(jobs: CaseJobs): Promise<{ id: string; data: CaseJobData; delay: number }[]> {
    const list = await jobs.queue.getDelayed();
    return list.map((j) => ({ id: j.id ?? '', data: j.data as CaseJobData, delay: j.opts.delay ?? 0 })).sort((a, b) => a.data.type.localeCompare(b.data.type));
  }

  beforeEach(async () => {
    prefix = uniquePrefix();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    stores = newStores();
    sent = [];
    await seedCommune(stores, Date.now());
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((j) => j.close()));
    await deleteKeys(prefix);
    await redis.quit();
  });

  test('when a case is assigned, then the assignee is told at once on their linked account, with the code and how to accept', async () => {
    const now = Date.now();
    const c = await fileCase(stores, { createdAt: now, dueAt: now + 10 * 24 * 3600_000 });
    const jobs = caseJobs();
    jobs.startWorker();

    await jobs.afterCaseChange({ case: c, notices: [{ to: 'official', officialId: 'dia-chinh-1', kind: 'assigned' }] });

    await until(() => sent.length >= 1);
    await untilIdle(jobs.queue);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ channel: 'zalo', userId: 'z-dc1', opts: { purpose: 'update' } });
    const text = sent[0].message.type === 'text' ? sent[0].message.text : '';
    expect(text).toContain(c.code);
    expect(text).toContain('Đất đai');
    expect(text).toContain('Thôn Đông');
    expect(text).toContain(`NHAN ${c.code}`);
  });

  test('when a case is planned, then the half-time and day-before reminders and the escalation are delayed to the calendar times', async () => {
    const createdAt = vn('2026-03-06T09:00');
    const dueAt = vn('2026-03-20T17:00');
    const now = createdAt + 60_000;
    const c = await fileCase(stores, { createdAt, dueAt });
    const jobs = caseJobs(() => now);

    await jobs.scheduler.planCase(c);
    await jobs.scheduler.planCase(c); // idempotent: the same ids

    const half = createdAt + (dueAt - createdAt) / 2;
    const dayBefore = addWorkingDays(calendar, dueAt, -1);
    expect(new Date(dayBefore).toISOString()).toBe('2026-03-19T10:00:00.000Z');
    expect((await delayed(jobs)).map((j) => ({ type: j.data.type, delay: j.delay }))).toEqual([
      { type: 'overdue', delay: dueAt - now },
      { type: 'remind_day_before', delay: dayBefore - now },
      { type: 'remind_half', delay: half - now },
    ]);
    // the "notify now" job waits for a worker; nothing else is queued twice
    expect(await jobs.queue.getJobCounts('waiting', 'delayed')).toMatchObject({ waiting: 1, delayed: 3 });
    expect(await jobs.scheduler.plannedIds(c.id)).toHaveLength(4);
  });

  test('when a case goes overdue, then the supervisor and the chair are told, it is recorded, and the next escalation is a working day later', async () => {
    const now = Date.now();
    const c = await fileCase(stores, { createdAt: now - 10 * 24 * 3600_000, dueAt: now + 400 });
    const jobs = caseJobs();
    jobs.startWorker();

    await jobs.scheduler.planCase(c);
    await until(() => sent.length >= 2);

    expect(sent.map((s) => `${s.channel}:${s.userId}`).sort()).toEqual(['messenger:m-pct', 'zalo:z-ct']);
    for (const s of sent) expect(s.message.type === 'text' && s.message.text).toContain(`quá hạn: phản ánh ${c.code}`);
    await until(async () => (await delayed(jobs)).some((j) => j.data.type === 'overdue'));
    // the escalation that ran has finished (and forgotten itself): only the next one is planned
    await untilIdle(jobs.queue);
    const [next] = await delayed(jobs);
    expect(next.data).toMatchObject({ type: 'overdue', n: 1, at: addWorkingDays(calendar, c.dueAt, 1) });
    expect(await jobs.scheduler.plannedIds(c.id)).toEqual([next.id]);
    expect((await stores.cases.get(c.id))?.history.some((e) => e.what === 'escalated')).toBe(true);
  });

  test('when a case is reassigned and re-planned, then the old assignee\'s jobs are removed and a job already due for them is dropped', async () => {
    const now = Date.now();
    const c = await fileCase(stores, { createdAt: now - 2 * 24 * 3600_000, dueAt: now + 20 * 24 * 3600_000 });
    const jobs = caseJobs();
    await jobs.scheduler.planCase(c);
    expect((await delayed(jobs)).filter((j) => j.id.includes('dia-chinh-1'))).toHaveLength(2);

    const moved = await stores.cases.update(c.id, { assigneeId: 'vh-2' }, { at: now, by: 'ct-1', what: 'assigned', officialId: 'vh-2' });
    await jobs.afterCaseChange({ case: moved!, notices: [{ to: 'official', officialId: 'vh-2', kind: 'assigned' }, { to: 'official', officialId: 'dia-chinh-1', kind: 'status_changed' }] });

    const after = await delayed(jobs);
    expect(after.filter((j) => j.id.includes('dia-chinh-1'))).toEqual([]);
    expect(after.filter((j) => j.id.includes('vh-2')).map((j) => j.data.type).sort()).toEqual(['remind_day_before', 'remind_half']);
    expect((await jobs.scheduler.plannedIds(c.id)).some((id) => id.includes('dia-chinh-1'))).toBe(false);

    jobs.startWorker();
    await until(() => sent.length >= 2);
    await untilIdle(jobs.queue);
    // the new holder is told once (not twice: the scheduler's job and the action's notice are one), the old one hears it moved
    expect(sent.map((s) => s.userId).sort()).toEqual(['m-vh2', 'z-dc1']);
    expect(sent.find((s) => s.userId === 'z-dc1')?.message).toMatchObject({ text: expect.stringContaining('đã có thay đổi') });
  });

  test('when a job fires for a case handed to someone else since, then it is dropped and nobody is told', async () => {
    const now = Date.now();
    const c = await fileCase(stores, { createdAt: now - 3 * 24 * 3600_000, dueAt: now + 5 * 24 * 3600_000 });
    const jobs = caseJobs();
    await jobs.queue.add('remind_half', { type: 'remind_half', caseId: c.id, assigneeId: 'dia-chinh-1', dueAt: c.dueAt, at: now + 200 }, { jobId: 'stale-reminder', delay: 200 });
    await stores.cases.update(c.id, { assigneeId: 'vh-2' }, { at: now, by: 'ct-1', what: 'assigned', officialId: 'vh-2' });
    jobs.startWorker();

    await until(async () => (await jobs.queue.getJobState('stale-reminder')) === 'completed');
    expect((await jobs.queue.getJob('stale-reminder'))?.returnvalue).toEqual({ dropped: 'reassigned' });
    expect(sent).toEqual([]);
  });

  test('when a case is closed, then its planned jobs are removed, nothing more is planned, and a job already due is dropped', async () => {
    const now = Date.now();
    const c = await fileCase(stores, { createdAt: now - 3 * 24 * 3600_000, dueAt: now + 2000 });
    const jobs = caseJobs();
    await jobs.scheduler.planCase(c);
    expect((await delayed(jobs)).length).toBeGreaterThan(0);

    const closed = await stores.cases.update(c.id, { status: 'resolved', resolution: { answer: 'Đã đo đạc lại, trả đúng ranh giới.', by: 'dia-chinh-1', at: now } }, { at: now, by: 'dia-chinh-1', what: 'resolved' });
    // a job already due before the re-plan reaches Redis: the worker must still drop it
    await jobs.queue.add('overdue', { type: 'overdue', caseId: c.id, dueAt: c.dueAt, n: 0, at: now }, { jobId: 'due-anyway' });
    await jobs.scheduler.planCase(closed!);
    expect(await delayed(jobs)).toEqual([]);
    expect(await jobs.scheduler.plannedIds(c.id)).toEqual([]);

    jobs.startWorker();
    await until(async () => (await jobs.queue.getJobState('due-anyway')) === 'completed');
    expect((await jobs.queue.getJob('due-anyway'))?.returnvalue).toEqual({ dropped: 'closed' });
    await untilIdle(jobs.queue);
    expect(sent).toEqual([]);
  });

  test('when the worker and queue are closed and new ones start ("a restart"), then a delayed job planned before still fires', async () => {
    const now = Date.now();
    const c = await fileCase(stores, { createdAt: now - 10 * 24 * 3600_000, dueAt: now + 1200 });
    const first = caseJobs();
    first.startWorker();
    await first.scheduler.planCase(c);
    await first.close();
    open.splice(open.indexOf(first), 1);
    expect(sent).toEqual([]);

    const second = caseJobs();
    second.startWorker();
    await until(() => sent.length >= 2);
    expect(sent.map((s) => s.userId).sort()).toEqual(['m-pct', 'z-ct']);
  });
});
