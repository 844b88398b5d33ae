import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Router } from 'express';
import { Redis } from 'ioredis';
import { ConfigError, loadConfig, type Config } from './config';
import type { ChannelSender, InboundEvent } from './channels/types';
import { createMessengerRouter, createMessengerSender } from './channels/messenger';
import { createZaloRouter, createZaloSender, createZaloTokenManager } from './channels/zalo';
import { createActionHandlers, runAction } from './civic/actions';
import { createFlowPublishing } from './admin/flows';
import { createCasesAdminRouter } from './admin/api/cases';
import { createAdminConsole } from './admin/admin-console';
import { createOpen311Router } from './admin/api/open311';
import { seedOfficials } from './civic/officials/seed-officials';
import { handleOfficialMessage } from './civic/officials/chat-commands';
import { createCaseJobs, type CaseJobs } from './jobs/case-jobs';
import { createAppointmentReminders, type AppointmentReminders } from './jobs/appointment-reminders';
import type { ReminderPlanner } from './civic/appointments/book-appointment';
import { createRedisAttemptLimiter } from './jobs/redis-attempt-limiter';
import type { CaseOutcome } from './civic/cases';
import { step, type FlowRegistry } from './conversation';
import { loadCommuneData } from './commune-data';
import { createFlowsInUse } from './flows-in-use';
import { loadErrorMessages } from './http-errors';
import { createTranslator } from './i18n';
import { createMessagePath, type MessagePath } from './jobs';
import { createRedisLock } from './jobs/redis-lock';
import { createLogger } from './logging';
import { createMetrics } from './metrics';
import { LOCALES_DIR } from './paths';
import { ensureRedis, RedisUnavailable } from './redis-bootstrap';
import { createServer, type AppServer } from './server';
import { AppError } from './shared/app-error';
import { systemClock } from './shared/clock';
import type { Logger } from './shared/logger';
import type { Stores } from './store/ports';
import { createMemoryStores } from './store/memory';
import { createMongoStores } from './store/mongo';

export interface RunningApp {
  port: number | null;
  stores: Stores;
  path: MessagePath;
  /** the flows now in use (admin publishes replace it) */
  flows(): FlowRegistry;
  /** Drains: stops taking webhooks, finishes in-flight jobs, closes every connection. */
  stop(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  /** replaces the stores chosen from the settings (tests share one between two app instances) */
  stores?: Stores;
  /** serve HTTP even in the worker role (health and metrics); default true */
  http?: boolean;
}

/** How often every process looks for flow versions published by admins. */
const FLOWS_REFRESH_MS = 3000;

/** Meta wants an answer within 5 s: past this, the webhook answers 503 and the platform retries. */
const ACCEPT_DEADLINE_MS = 3000;

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('QUEUE_UNAVAILABLE', `enqueue took over ${ms} ms`)), ms);
  });
  const failed = p.catch((err: unknown) => {
    // Redis refused or dropped the write: the platform must retry, so this is a 503, never a 200.
    throw err instanceof AppError ? err : new AppError('QUEUE_UNAVAILABLE', (err as Error).message);
  });
  return Promise.race([failed, late]).finally(() => clearTimeout(timer));
}

async function waitReady(client: Redis): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('Redis did not answer within 5 s')), 5000);
    client.once('ready', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** Builds everything from the settings and starts the role in config.role. */
export async function startApp(config: Readonly<Config>, opts: StartOptions = {}): Promise<RunningApp> {
  const log = opts.log ?? createLogger({ level: config.logLevel });
  for (const d of config.disabled) log.warn({ channel: d.channel, missing: d.missing }, `${d.channel} channel disabled: settings missing`);

  const stores = opts.stores ?? (config.mongodbUri ? await createMongoStores(config.mongodbUri) : createMemoryStores());
  if (!opts.stores) log.info({ store: config.mongodbUri ? 'mongo' : 'memory' }, 'store ready');

  // Flows from files (an invalid file stops the start: FlowLoadError), overridden by what admins published.
  const flows = createFlowsInUse({ dir: resolve(config.flowsDir), flowStore: stores.flows, log });
  await flows.refresh();
  const refreshTimer = setInterval(() => void flows.refresh().catch((err: unknown) => log.warn({ err }, 'flow refresh failed')), FLOWS_REFRESH_MS);
  refreshTimer.unref();
  const t = await createTranslator(LOCALES_DIR);
  const publishing = createFlowPublishing({ flowStore: stores.flows, fileSources: flows.fileSources, hasViKey: (key) => t.hasKey(key, 'vi') });
  // The commune's data (catalogue, routing + roster, calendar, desk); the example roster is seeded into an empty store.
  const data = loadCommuneData(resolve(config.flowsDir));
  if (data.missing.length > 0) log.warn({ missing: data.missing }, 'commune data files missing in FLOWS_DIR/data: their services answer SERVICE_NOT_OPEN');
  const { catalogue, cases: caseData, desk } = data;
  if (caseData) await seedOfficials(stores.officials, caseData.routing);
  // Set once the reminder jobs exist (below): booking, moving and cancelling plan through it.
  const remindersRef: { planner?: ReminderPlanner } = {};
  const reminderPlanner: ReminderPlanner = {
    plan: (a) => remindersRef.planner?.plan(a) ?? Promise.resolve(),
    remove: (a) => remindersRef.planner?.remove(a) ?? Promise.resolve(),
  };

  const metrics = createMetrics();
  // Workers and locks wait out a Redis blip; the webhook's enqueue fails fast instead, so the
  // platform gets a 503 and retries rather than a request hanging past its timeout.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const producer = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 });
  const inboxRedis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, enableAutoPipelining: true });
  for (const r of [redis, producer, inboxRedis]) r.on('error', (err) => log.warn({ err }, 'redis connection error'));
  await Promise.all([waitReady(producer), waitReady(inboxRedis)]);
  // Set once the case jobs exist (below): the handlers call it after a citizen files or rates a case.
  const handlersRef: { onCaseChange?: (outcome: CaseOutcome) => Promise<void> } = {};
  const handlers = createActionHandlers({
    onCaseChange: (outcome) => handlersRef.onCaseChange?.(outcome) ?? Promise.resolve(),
    catalogue,
    ...(caseData ? { cases: stores.cases, officials: stores.officials, routing: caseData.routing, calendar: caseData.calendar } : {}),
    ...(caseData && desk ? { appointments: stores.appointments, desk, reminders: reminderPlanner, reminderChannels: {} } : {}),
    attempts: createRedisAttemptLimiter(redis, { prefix: config.queuePrefix }),
  });

  const senders: Partial<Record<string, ChannelSender>> = {};
  if (config.messenger) senders.messenger = createMessengerSender(config.messenger, { log });
  if (config.zalo) {
    const tokens = createZaloTokenManager({ config: config.zalo, store: stores.tokens, lock: createRedisLock(redis, { prefix: config.queuePrefix }), clock: systemClock, log });
    senders.zalo = createZaloSender(config.zalo, { tokens, log });
  }

  // Case deadlines: notify the assignee, remind, escalate; notices to closed windows wait as pending.
  const caseJobs = caseData
    ? createCaseJobs({
        redis,
        redisUrl: config.redisUrl,
        prefix: config.queuePrefix,
        calendar: caseData.calendar,
        cases: stores.cases,
        officials: stores.officials,
        conversations: stores.conversations,
        senders,
        settings: {},
        log,
      })
    : null;
  handlersRef.onCaseChange = caseJobs ? (outcome) => caseJobs.afterCaseChange(outcome) : undefined;
  // Appointment reminders (the day before, two hours before) and the desk's daily agenda.
  const appointmentReminders: AppointmentReminders | null =
    caseData && desk
      ? createAppointmentReminders({
          redis,
          redisUrl: config.redisUrl,
          prefix: config.queuePrefix,
          appointments: stores.appointments,
          conversations: stores.conversations,
          officials: stores.officials,
          catalogue,
          desk,
          calendar: caseData.calendar,
          senders,
          channels: {},
          log,
        })
      : null;
  remindersRef.planner = appointmentReminders?.planner;

  const path = createMessagePath({
    redis,
    producer,
    inboxRedis,
    redisUrl: config.redisUrl,
    prefix: config.queuePrefix,
    conversations: stores.conversations,
    engine: (state, event, now) => step(flows.current(), state, event, { now, t }),
    senders,
    runAction: (effect, ctx) => runAction(handlers, effect, ctx),
    takePending: caseJobs ? async (channel, userId) => (await caseJobs.pending.take(channel, userId)).map((n) => n.text) : undefined,
    // Officials act from their own chat (LIENKET, HOSO, NHAN, GHICHU, XONG, GIAO, TRACUU) before the flows see it.
    intercept: caseJobs
      ? (event) => {
          const c = event.content;
          const msg =
            c.type === 'text'
              ? { channel: event.channel, userId: event.userId, text: c.text, payload: c.payload }
              : c.type === 'postback'
                ? { channel: event.channel, userId: event.userId, text: c.title, payload: c.payload }
                : null;
          const deps = { officials: stores.officials, cases: stores.cases, now: systemClock.now, onCaseChange: (outcome: CaseOutcome) => caseJobs.afterCaseChange(outcome) };
          return msg ? handleOfficialMessage(deps, msg) : Promise.resolve(null);
        }
      : undefined,
    metrics,
    log,
  });
  metrics.watchQueues(() => path.depth());

  if (config.role !== 'web') {
    await path.startWorkers();
    if (caseJobs) {
      caseJobs.startWorker();
      // Planning is idempotent (job ids): re-plan every open case, so nothing filed while a
      // planning step failed is left without its reminders.
      void replanOpenCases(stores, caseJobs).catch((err: unknown) => log.error({ err }, 're-planning open cases failed'));
    }
    if (appointmentReminders) {
      appointmentReminders.startWorker();
      void appointmentReminders.scheduleDailyAgenda().catch((err: unknown) => log.error({ err }, 'scheduling the desk agenda failed'));
    }
  }

  const adminConsole = createAdminConsole({
    adminToken: config.adminToken,
    redis,
    prefix: config.queuePrefix,
    stores,
    publishing,
    hasViKey: (key) => t.hasKey(key, 'vi'),
    onPublished: () => void flows.refresh(),
    onCaseChange: caseJobs ? (outcome) => caseJobs.afterCaseChange(outcome) : undefined,
  });

  let server: AppServer | null = null;
  let port: number | null = null;
  if (config.role !== 'worker' || opts.http !== false) {
    const accept = async (events: InboundEvent[]) => {
      const outcome = await withDeadline(path.inbox.accept(events), ACCEPT_DEADLINE_MS);
      for (const e of events) metrics.eventsAccepted.inc({ channel: e.channel, outcome: 'received' });
      if (outcome.duplicates > 0) log.info({ duplicates: outcome.duplicates }, 'duplicate deliveries ignored');
    };
    const channels: { messenger?: Router; zalo?: Router } = {};
    if (config.role !== 'worker') {
      if (config.messenger) channels.messenger = createMessengerRouter(config.messenger, { accept, log });
      if (config.zalo) channels.zalo = createZaloRouter(config.zalo, { accept, log });
    }
    server = createServer({
      log,
      metrics,
      errorMessages: loadErrorMessages(LOCALES_DIR),
      channels,
      extra:
        config.role !== 'worker'
          ? [
              ...adminConsole.routers,
              createCasesAdminRouter({
                adminToken: config.adminToken,
                cases: stores.cases,
                officials: stores.officials,
                routing: caseData?.routing,
                onChange: caseJobs ? (outcome) => caseJobs.afterCaseChange(outcome) : undefined,
              }),
              createOpen311Router({ cases: stores.cases, routing: caseData?.routing }),
            ]
          : [],
      ready: { redis: async () => void (await redis.ping()), store: () => stores.health.ping() },
    });
    port = await server.start(config.port);
    log.info({ port, role: config.role }, 'listening');
  }

  let stopped: Promise<void> | null = null;
  return {
    port,
    stores,
    path,
    flows: () => flows.current(),
    stop() {
      stopped ??= (async () => {
        log.info({}, 'draining');
        clearInterval(refreshTimer);
        await server?.stop();
        await path.close();
        await caseJobs?.close();
        await appointmentReminders?.close();
        await Promise.all([redis, producer, inboxRedis].map((r) => r.quit().catch(() => undefined)));
        if (!opts.stores) await stores.health.close();
        log.info({}, 'stopped');
      })();
      return stopped;
    },
  };
}

async function replanOpenCases(stores: Stores, caseJobs: CaseJobs): Promise<void> {
  let after: string | undefined;
  do {
    const page = await stores.cases.list({ status: ['received', 'assigned', 'in_progress', 'transferred'], limit: 500, ...(after ? { after } : {}) });
    for (const c of page.cases) await caseJobs.scheduler.planCase(c);
    after = page.next;
  } while (after);
}

async function main(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Cannot start: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger({ level: config.logLevel });
  let redisChild: ChildProcess | null = null;
  try {
    redisChild = await ensureRedis(config.redisUrl, { autoStart: config.autoStartRedis, log: (m) => console.error(m) });
  } catch (err) {
    if (err instanceof RedisUnavailable) {
      console.error(err.message);
      process.exit(3);
    }
    throw err;
  }
  let app: RunningApp;
  try {
    app = await startApp(config, { log });
  } catch (err) {
    const problems = (err as { problems?: { file: string; line?: number; message: string }[] }).problems;
    if (problems) console.error(`Cannot start: invalid flows\n${problems.map((p) => `  - ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n')}`);
    else console.error(`Cannot start: ${(err as Error).message}`);
    redisChild?.kill();
    process.exit(1);
  }
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    // If Redis is gone, in-flight jobs cannot finish: give up after a while rather than hang a deploy.
    setTimeout(() => {
      log.error({ signal }, 'drain did not finish in 30 s; exiting');
      redisChild?.kill('SIGTERM');
      process.exit(1);
    }, 30_000).unref();
    app
      .stop()
      .then(() => {
        redisChild?.kill('SIGTERM');
        process.exit(0);
      })
      .catch((err: unknown) => {
        log.error({ err }, 'shutdown failed');
        redisChild?.kill('SIGTERM');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) void main();
