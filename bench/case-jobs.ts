/**
 * `npx tsx bench/case-jobs.ts [--redis redis://127.0.0.1:6379] [--cases 10000]`: the case deadline
 * jobs on a real Redis, each figure beside a baseline from the same run.
 *
 * 1. Planning: 10,000 open cases planned (notify now, two reminders, the escalation) — time, and
 *    Redis memory per case (INFO used_memory before/after) — beside plain queue.add of the same jobs.
 * 2. A day's escalation sweep: 1k, 10k (and 100k when the 10k rate says it fits in 2 minutes)
 *    overdue cases whose escalation is due now, run by the case worker (store reload, supervisor and
 *    chair told through the notice delivery with recording senders, history line, next day planned)
 *    beside a worker doing nothing on the same number of plain jobs. Per-case cost and its ratio to the
 *    1k run show whether the sweep grows faster than linearly.
 * The memory store stands in for MongoDB, so the figures are the job layer's own cost.
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { ChannelName, ChannelSender } from '../src/channels/types';
import { loadCalendar } from '../src/civic/calendar/calendar';
import { addWorkingDays } from '../src/civic/calendar/working-days';
import { createCaseJobs } from '../src/jobs/case-jobs';
import { CASE_JOB, caseJobId, type OverdueJobData } from '../src/jobs/case-schedule';
import { silentLogger } from '../src/shared/logger';
import { createMemoryStores } from '../src/store/memory';
import type { Case, ConversationStore, Stores } from '../src/store/ports';

const args = process.argv.slice(2);
const arg = (name: string, dflt: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const REDIS_URL = arg('--redis', 'redis://127.0.0.1:6379');
const PLAN_CASES = Number(arg('--cases', '10000'));
const SWEEP_BUDGET_MS = 120_000;
const IN_FLIGHT = 64;
const WORKER_CONCURRENCY = 64;

const calendar = loadCalendar('flows/data/holidays.yaml', 'flows/data/office-hours.yaml');
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const prefix = `bench-cj-${randomUUID().slice(0, 8)}`;

const counting = (channel: ChannelName, count: { n: number }): ChannelSender => ({ channel, send: async () => ({ platformMessageId: `${++count.n}` }) });

/**
 * The memory conversation store checks each appended entry against the whole transcript (O(length)):
 * 100k notices to the same two officials would measure that scan, not the jobs. Appends are only
 * counted here; the mongo adapter keys them by an index.
 */
function withCountedTranscripts(stores: Stores): Stores {
  const inner = stores.conversations;
  const conversations: ConversationStore = {
    get: (k) => inner.get(k),
    save: (c, a, n) => inner.save(c, a, n),
    appendTranscript: async () => undefined,
    updateTranscriptEntry: (k, id, p) => inner.updateTranscriptEntry(k, id, p),
    updateTranscriptEntries: (k, u) => inner.updateTranscriptEntries(k, u),
    transcript: (k, l) => inner.transcript(k, l),
    hasInbound: (k, id) => inner.hasInbound(k, id),
    touchInbound: (c, u, at) => inner.touchInbound(c, u, at),
    lastInboundAt: (c, u) => inner.lastInboundAt(c, u),
    countMessagesByDay: (r) => inner.countMessagesByDay(r),
  };
  return { ...stores, conversations };
}

async function usedMemory(): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

async function pool<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function seed(stores: Stores, n: number, at: { createdAt: number; dueAt: number }): Promise<Case[]> {
  const base = { villages: [], categories: [], onDuty: false, active: true };
  await stores.officials.upsert({ ...base, id: 'dc-1', name: 'Nguyễn Văn Địa', role: 'official', supervisorId: 'pct-1', accounts: [{ channel: 'zalo', userId: 'z-dc1' }] });
  await stores.officials.upsert({ ...base, id: 'pct-1', name: 'Trần Thị Phó', role: 'vice_chair', accounts: [{ channel: 'messenger', userId: 'm-pct' }] });
  await stores.officials.upsert({ ...base, id: 'ct-1', name: 'Lê Văn Chủ', role: 'chair', accounts: [{ channel: 'zalo', userId: 'z-ct' }] });
  for (const [ch, u] of [['zalo', 'z-dc1'], ['messenger', 'm-pct'], ['zalo', 'z-ct']]) await stores.conversations.touchInbound(ch, u, Date.now());
  const cases: Case[] = [];
  for (let i = 0; i < n; i++) {
    cases.push(await stores.cases.create({
      kind: 'petition', petitionType: 'feedback', category: 'land', village: 'Thôn Đông', content: 'Lấn chiếm đất ngõ xóm.', attachments: [], channel: 'zalo', userId: `citizen-${i}`,
      status: 'assigned', assigneeId: 'dc-1', dueAt: at.dueAt, createdAt: at.createdAt,
      history: [{ at: at.createdAt, by: 'citizen', what: 'received' }, { at: at.createdAt, by: 'system', what: 'assigned', officialId: 'dc-1' }],
    }));
  }
  return cases;
}

async function planning(): Promise<void> {
  const stores = createMemoryStores();
  const createdAt = Date.now();
  const dueAt = addWorkingDays(calendar, createdAt, 15);
  const cases = await seed(stores, PLAN_CASES, { createdAt, dueAt });
  const p = `${prefix}-plan`;
  const jobs = createCaseJobs({ redis, redisUrl: REDIS_URL, prefix: p, calendar, cases: stores.cases, officials: stores.officials, conversations: stores.conversations, senders: {}, log: silentLogger });
  await jobs.queue.waitUntilReady();
  const before = await usedMemory();
  let t = performance.now();
  let planned = 0;
  await pool(cases, async (c) => {
    const n = (await jobs.scheduler.planCase(c)).length;
    planned += n;
  });
  const planMs = performance.now() - t;
  const caseBytes = ((await usedMemory()) - before) / PLAN_CASES;
  await jobs.close();

  // Baseline: the same jobs (same names, data and options) through plain queue.add, no tracking set.
  const baseQueue = new Queue('baseline', { connection: redis, prefix: p });
  await baseQueue.waitUntilReady();
  const jobsPerCase = planned / PLAN_CASES;
  const before2 = await usedMemory();
  t = performance.now();
  await pool(cases, async (c) => {
    for (let k = 0; k < jobsPerCase; k++) {
      await baseQueue.add('remind_half', { type: 'remind_half', caseId: c.id, assigneeId: 'dc-1', dueAt, at: dueAt - 1 }, { ...CASE_JOB, jobId: `b-${c.id}-${k}`, delay: 3600_000 });
    }
  });
  const baseMs = performance.now() - t;
  const baseBytes = ((await usedMemory()) - before2) / PLAN_CASES;
  await baseQueue.close();
  console.log(`\nPlanning ${PLAN_CASES} open cases (${jobsPerCase.toFixed(2)} jobs each)`);
  console.table([
    { what: 'planCase (jobs + tracking set)', 'total s': +(planMs / 1000).toFixed(2), 'µs/case': Math.round((planMs * 1000) / PLAN_CASES), 'Redis bytes/case': Math.round(caseBytes) },
    { what: 'baseline: plain queue.add', 'total s': +(baseMs / 1000).toFixed(2), 'µs/case': Math.round((baseMs * 1000) / PLAN_CASES), 'Redis bytes/case': Math.round(baseBytes) },
  ]);
}

/** Runs `n` escalations due now through the case worker; ms until all completed. */
async function sweep(n: number): Promise<number> {
  const stores = withCountedTranscripts(createMemoryStores());
  const now = Date.now();
  const dueAt = now - 3600_000;
  const cases = await seed(stores, n, { createdAt: addWorkingDays(calendar, dueAt, -15), dueAt });
  const p = `${prefix}-sweep-${n}`;
  const count = { n: 0 };
  const jobs = createCaseJobs({ redis, redisUrl: REDIS_URL, prefix: p, calendar, cases: stores.cases, officials: stores.officials, conversations: stores.conversations, senders: { zalo: counting('zalo', count), messenger: counting('messenger', count) }, log: silentLogger });
  for (let i = 0; i < cases.length; i += 1000) {
    await jobs.queue.addBulk(cases.slice(i, i + 1000).map((c) => {
      const data: OverdueJobData = { type: 'overdue', caseId: c.id, dueAt, n: 0, at: dueAt };
      return { name: 'overdue', data, opts: { ...CASE_JOB, jobId: caseJobId.overdue(c.id, dueAt, 0) } };
    }));
  }
  const t = performance.now();
  jobs.startWorker({ concurrency: WORKER_CONCURRENCY });
  while ((await jobs.queue.getJobCounts('completed')).completed < n) await new Promise((r) => setTimeout(r, 50));
  const ms = performance.now() - t;
  const failed = (await jobs.queue.getJobCounts('failed')).failed;
  if (count.n !== 2 * n || failed > 0) throw new Error(`sweep of ${n}: ${count.n} sends for ${2 * n} expected, ${failed} failed`);
  const nextDay = (await jobs.queue.getJobCounts('delayed')).delayed;
  if (nextDay !== n) throw new Error(`sweep of ${n}: ${nextDay} next escalations planned, ${n} expected`);
  await jobs.close();
  await clear(`${p}:*`);
  return ms;
}

/** The same number of plain jobs through a worker that does nothing. */
async function baselineSweep(n: number): Promise<number> {
  const p = `${prefix}-base-${n}`;
  const queue = new Queue('baseline', { connection: redis, prefix: p });
  for (let i = 0; i < n; i += 1000) {
    await queue.addBulk(Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({ name: 'overdue', data: { caseId: `c${i + k}` }, opts: { ...CASE_JOB, jobId: `b-${i + k}` } })));
  }
  const t = performance.now();
  const worker = new Worker('baseline', async () => undefined, { connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }), prefix: p, concurrency: WORKER_CONCURRENCY });
  while ((await queue.getJobCounts('completed')).completed < n) await new Promise((r) => setTimeout(r, 50));
  const ms = performance.now() - t;
  const conn = await worker.client;
  await worker.close();
  await conn.quit();
  await queue.close();
  await clear(`${p}:*`);
  return ms;
}

async function clear(pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}

async function main(): Promise<void> {
  try {
    await planning();
    const rows: Record<string, string | number>[] = [];
    let perCase1k = 0;
    let basePerCase1k = 0;
    for (const n of [1_000, 10_000, 100_000]) {
      if (n === 100_000) {
        const estimate = (rows[1]['µs/case'] as number) * n / 1000;
        if (estimate > SWEEP_BUDGET_MS) {
          console.log(`(100k sweep skipped: estimated ${(estimate / 1000).toFixed(0)} s > ${SWEEP_BUDGET_MS / 1000} s)`);
          break;
        }
      }
      const ms = await sweep(n);
      const base = await baselineSweep(n);
      const perCase = (ms * 1000) / n;
      const basePerCase = (base * 1000) / n;
      if (n === 1_000) [perCase1k, basePerCase1k] = [perCase, basePerCase];
      rows.push({ cases: n, 'sweep s': +(ms / 1000).toFixed(2), 'µs/case': Math.round(perCase), 'per case vs 1k': +(perCase / perCase1k).toFixed(2), 'baseline s': +(base / 1000).toFixed(2), 'baseline µs/job': Math.round(basePerCase), 'baseline vs 1k': +(basePerCase / basePerCase1k).toFixed(2) });
    }
    console.log(`\nA day's escalation sweep (worker concurrency ${WORKER_CONCURRENCY}; each case: reload, 2 officials told, history line, next day planned)`);
    console.table(rows);
  } finally {
    await clear(`${prefix}*`);
    await redis.quit();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
