/**
 * `npx tsx bench/appointment-reminders.ts [--redis redis://127.0.0.1:6379] [--reminders 100000] [--fire-seconds 60]`:
 * appointment reminders on a real Redis, each figure beside a baseline from the same run.
 *
 * 1. Scheduling: N reminders (N/2 appointments, the day before and two hours before each) through
 *    the planner (planned-id set per appointment, addBulk of the two delayed jobs) — time, and Redis
 *    memory per reminder (INFO used_memory before/after) — beside plain queue.add of N delayed jobs
 *    with the same data and options on another queue.
 * 2. Lateness: with those N still waiting in the delayed set, reminders due at 1,000 a minute for
 *    --fire-seconds, run by the reminder worker (store reload, sent marker, window check, delivery
 *    through a counting sender, transcript) — p50/p99/max of (worker start − due time) — beside a
 *    worker doing nothing on plain delayed jobs at the same rate.
 * The memory store stands in for MongoDB, so the figures are the job layer's own cost.
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { ChannelName, ChannelSender } from '../src/channels/types';
import { DEFAULT_DESK_SETTINGS } from '../src/civic/appointments/desk-settings';
import { loadCatalogue } from '../src/civic/procedures/catalogue';
import { createAppointmentReminders, REMINDER_JOB, reminderJobId, type AppointmentJobData, type ReminderJobData } from '../src/jobs/appointment-reminders';
import { silentLogger } from '../src/shared/logger';
import { createMemoryStores } from '../src/store/memory';
import type { Appointment, Stores } from '../src/store/ports';

const args = process.argv.slice(2);
const arg = (name: string, dflt: string) => (args.includes(name) ? (args[args.indexOf(name) + 1] ?? dflt) : dflt);
const REDIS_URL = arg('--redis', 'redis://127.0.0.1:6379');
const N = Number(arg('--reminders', '100000'));
const FIRE_SECONDS = Number(arg('--fire-seconds', '60'));
const PER_MINUTE = 1000;
const IN_FLIGHT = 64;
const HOUR = 3600_000;
const MIN = 60_000;

const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const prefix = `bench-ar-${randomUUID().slice(0, 8)}`;
const catalogue = loadCatalogue('flows/data/procedures.yaml');
const counting = (channel: ChannelName, count: { n: number }): ChannelSender => ({ channel, send: async () => ({ platformMessageId: `${++count.n}` }) });

async function usedMemory(): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

async function pool<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

async function book(stores: Stores, i: number, start: number, userId: string): Promise<Appointment> {
  const r = await stores.appointments.book({ key: `k-${i}`, day: 'bench', start, end: start + HOUR }, 1, {
    id: `a${i}`,
    code: `LH-${i}`,
    procedureId: 'khai-sinh',
    name: 'Lê Thị Hoa',
    channel: 'zalo',
    userId,
    locale: 'vi',
    createdAt: Date.now(),
  });
  if (!r.ok) throw new Error(`booking ${i} refused: ${r.reason}`);
  return r.appointment;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);
}

function summary(late: number[]): string {
  const s = [...late].sort((a, b) => a - b);
  return `n=${s.length} p50 ${percentile(s, 50)} ms, p99 ${percentile(s, 99)} ms, max ${s[s.length - 1]} ms`;
}

async function cleanup(): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 5000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}

async function main(): Promise<void> {
  const stores = createMemoryStores();
  const sent = { n: 0 };
  const reminders = createAppointmentReminders({
    redis,
    redisUrl: REDIS_URL,
    prefix,
    appointments: stores.appointments,
    conversations: stores.conversations,
    officials: stores.officials,
    catalogue,
    desk: DEFAULT_DESK_SETTINGS,
    senders: { zalo: counting('zalo', sent) },
    log: silentLogger,
  });
  const plain = new Queue<ReminderJobData>('plain-reminders', { connection: redis, prefix });
  console.log(`appointment reminders, ${N.toLocaleString('en')} reminders (${N / 2} appointments × 2), Redis ${REDIS_URL}, prefix ${prefix}`);

  try {
    // 1. Scheduling, far in the future (a month ahead) so nothing fires during the run.
    const month = Date.now() + 30 * 24 * HOUR;
    const appointments: Appointment[] = [];
    for (let i = 0; i < N / 2; i++) appointments.push(await book(stores, i, month + i * 1000, `far-${i % 5000}`));
    let mem0 = await usedMemory();
    let t0 = performance.now();
    await pool(appointments, (a) => reminders.planner.plan(a));
    const planMs = performance.now() - t0;
    const planBytes = (await usedMemory()) - mem0;
    const planned = await reminders.queue.getDelayedCount();

    mem0 = await usedMemory();
    t0 = performance.now();
    await pool(appointments, async (a) => {
      for (const kind of ['day_before', 'two_hours']) {
        const at = a.slot.start - (kind === 'day_before' ? 24 * HOUR : 2 * HOUR);
        await plain.add(kind, { appointmentId: a.id, kind, start: a.slot.start, at }, { ...REMINDER_JOB, jobId: reminderJobId(a.id, kind, a.slot.start), delay: at - Date.now() });
      }
    });
    const plainMs = performance.now() - t0;
    const plainBytes = (await usedMemory()) - mem0;
    console.log('\n1. scheduling');
    console.log(`   planner      ${planned.toLocaleString('en')} jobs in ${(planMs / 1000).toFixed(1)} s = ${((planMs * 1000) / N).toFixed(0)} µs/reminder, ${(planBytes / N).toFixed(0)} B/reminder`);
    console.log(`   plain add    ${N.toLocaleString('en')} jobs in ${(plainMs / 1000).toFixed(1)} s = ${((plainMs * 1000) / N).toFixed(0)} µs/reminder, ${(plainBytes / N).toFixed(0)} B/reminder (baseline)`);

    // 2. Lateness at 1,000 a minute, with the N above still delayed.
    const firing = Math.round((FIRE_SECONDS * PER_MINUTE) / 60);
    const gap = 60_000 / PER_MINUTE;
    const lead = 5_000;
    const fireStart = Date.now() + lead;
    const soon: Appointment[] = [];
    for (let i = 0; i < firing; i++) {
      const userId = `soon-${i}`;
      await stores.conversations.touchInbound('zalo', userId, Date.now());
      soon.push(await book(stores, N + i, fireStart + i * gap + 120 * MIN, userId));
    }
    await pool(soon, (a) => reminders.planner.plan(a));
    const worker = reminders.startWorker({ concurrency: 16 });
    const late: number[] = [];
    worker.on('completed', (job: Job<AppointmentJobData>) => {
      if (job.processedOn && 'at' in job.data) late.push(job.processedOn - job.data.at);
    });
    const deadline = fireStart + FIRE_SECONDS * 1000 + 30_000;
    while (late.length < firing && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));

    const plainFiring = new Queue<ReminderJobData>('plain-firing', { connection: redis, prefix });
    const baseLate: number[] = [];
    const plainWorker = new Worker<ReminderJobData>('plain-firing', async () => undefined, { connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }), prefix, concurrency: 16 });
    plainWorker.on('completed', (job) => {
      if (job.processedOn) baseLate.push(job.processedOn - job.data.at);
    });
    const baseStart = Date.now() + lead;
    for (let i = 0; i < firing; i++) {
      const at = baseStart + i * gap;
      await plainFiring.add('two_hours', { appointmentId: `b${i}`, kind: 'two_hours', start: at + 120 * MIN, at }, { ...REMINDER_JOB, jobId: `b-${i}`, delay: at - Date.now() });
    }
    const baseDeadline = baseStart + FIRE_SECONDS * 1000 + 30_000;
    while (baseLate.length < firing && Date.now() < baseDeadline) await new Promise((r) => setTimeout(r, 200));
    console.log(`\n2. lateness (worker start − due), ${PER_MINUTE}/min for ${FIRE_SECONDS} s, ${N.toLocaleString('en')} others delayed, concurrency 16`);
    console.log(`   reminder worker  ${summary(late)}; sent ${sent.n}`);
    console.log(`   no-op worker     ${summary(baseLate)} (baseline, plain jobs)`);
    await plainWorker.close();
    await (plainWorker.opts.connection as Redis).quit();
    await plainFiring.close();
  } finally {
    await reminders.close();
    await plain.close();
    await cleanup();
    redis.disconnect();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
