import type { ChildProcess } from 'node:child_process';
import { PlaceholderError, productionBlockers } from './civic/commune-data/placeholders';
import { resolve } from 'node:path';
import type { Router } from 'express';
import { Redis } from 'ioredis';
import { ConfigError, loadConfig, type Config } from './config';
import type { ChannelSender, InboundEvent } from './channels/types';
import { createMessengerRouter, createMessengerSender, createMessengerTemplateSender } from './channels/messenger';
import { createZaloRouter, createZaloSender, createZaloTokenManager, createZnsSender } from './channels/zalo';
import { createTemplateSender } from './channels/template-sender';
import { createActionHandlers, runAction } from './civic/actions';
import { createCivicJobs, noticeChannelsOf } from './civic-jobs';
import { createFlowPublishing } from './admin/flows';
import { createAdminConsole } from './admin/admin-console';
import { createOpen311Router } from './admin/api/open311';
import { seedOfficials } from './civic/officials/seed-officials';
import type { ReminderPlanner } from './civic/appointments/book-appointment';
import { createRedisAttemptLimiter } from './jobs/redis-attempt-limiter';
import { createRedisProcedureAsks } from './jobs/procedure-asks';
import type { CaseOutcome } from './civic/cases';
import type { HandoffService } from './civic/handoff/handoff-service';
import { step, type FlowRegistry } from './conversation';
import { readDataSources, type CommuneData } from './commune-data';
import { createCommuneDataInUse } from './commune-data-in-use';
import { createCommuneDataPublishing } from './admin/commune-data';
import { createFlowsInUse } from './flows-in-use';
import { loadErrorMessages } from './http-errors';
import { createTranslator } from './i18n';
import { createMessagePath, type MessagePath } from './jobs';
import { createRedisLock } from './jobs/redis-lock';
import { createLogger } from './logging';
import { createMetrics } from './metrics';
import { ALL_QUEUES, JOB_STATES, createQueueFigures } from './jobs/queue-figures';
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
  /** the commune data now in use (admin publishes replace it) */
  communeData(): CommuneData;
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

/** How often every process looks for flow versions and commune data published by admins. */
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
  for (const i of config.ignored) log.warn({ setting: i.setting, channel: i.channel }, `${i.setting} ignored: the ${i.channel} channel is disabled`);
  const noticeChannels = noticeChannelsOf(config.notices);

  const stores = opts.stores ?? (config.mongodbUri ? await createMongoStores(config.mongodbUri) : createMemoryStores());
  if (!opts.stores) log.info({ store: config.mongodbUri ? 'mongo' : 'memory' }, 'store ready');

  // No placeholder ("Ví dụ: …", "(cập nhật …)", an empty commune fact) may reach a citizen: in
  // production they stop the start with each file and line; elsewhere the demo data runs and says so.
  const placeholders = productionBlockers(resolve(config.flowsDir));
  if (placeholders.length > 0) {
    if (config.production) throw new PlaceholderError(placeholders);
    log.warn({ placeholders: placeholders.length, first: `${placeholders[0]?.file}:${placeholders[0]?.line}` }, 'DEMO DATA: the commune data still has placeholders (npm run flows:check lists them); production refuses to start with them');
  }

  // Flows from files (an invalid file stops the start: FlowLoadError), overridden by what admins published.
  const flows = createFlowsInUse({ dir: resolve(config.flowsDir), flowStore: stores.flows, log });
  await flows.refresh();
  const t = await createTranslator(LOCALES_DIR);
  const publishing = createFlowPublishing({
    flowStore: stores.flows,
    fileSources: flows.fileSources,
    hasViKey: (key) => t.hasKey(key, 'vi'),
    // Read at publish time, once the commune data below is loaded.
    procedureIds: () => {
      const d = communeData.current();
      return d.missing.includes('procedures.yaml') ? undefined : new Set(d.catalogue.procedures.map((p) => p.id));
    },
  });
  // The commune's data (catalogue, routing + roster, calendar, desk): the files, then what admins
  // published, polled with the flows. The factories below get live views, so a publish reaches them
  // without a restart; officials new in a published roster are seeded like the file's.
  const communeData = createCommuneDataInUse({
    dir: resolve(config.flowsDir),
    flowStore: stores.flows,
    log,
    onChange: async (d) => void (d.cases ? await seedOfficials(stores.officials, d.cases.routing) : undefined),
  });
  await communeData.refresh();
  const dataPublishing = createCommuneDataPublishing({
    flowStore: stores.flows,
    fileSources: () => readDataSources(resolve(config.flowsDir)),
    flowSources: async () => [...(await publishing.currentSources()).values()],
  });
  const { missing } = communeData.current();
  if (missing.length > 0) log.warn({ missing }, 'commune data files missing in FLOWS_DIR/data: their services answer SERVICE_NOT_OPEN');
  const { catalogue, cases: caseData, desk } = communeData.live;
  if (caseData) await seedOfficials(stores.officials, caseData.routing);
  const refreshTimer = setInterval(() => {
    void flows.refresh().catch((err: unknown) => log.warn({ err }, 'flow refresh failed'));
    void communeData.refresh().catch((err: unknown) => log.warn({ err }, 'commune data refresh failed'));
  }, FLOWS_REFRESH_MS);
  refreshTimer.unref();
  // Set once the reminder jobs exist (below): booking, moving and cancelling plan through it.
  const remindersRef: { planner?: ReminderPlanner } = {};
  const reminderPlanner: ReminderPlanner = {
    plan: (a) => remindersRef.planner?.plan(a) ?? Promise.resolve(),
    remove: (a) => remindersRef.planner?.remove(a) ?? Promise.resolve(),
  };

  const metrics = createMetrics({ queueNames: ALL_QUEUES, states: JOB_STATES });
  // Workers and locks wait out a Redis blip; the webhook's enqueue fails fast instead, so the
  // platform gets a 503 and retries rather than a request hanging past its timeout.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const producer = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 });
  const inboxRedis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, enableAutoPipelining: true });
  for (const r of [redis, producer, inboxRedis]) r.on('error', (err) => log.warn({ err }, 'redis connection error'));
  await Promise.all([waitReady(producer), waitReady(inboxRedis)]);
  // Set once the case jobs exist (below): the handlers call it after a citizen files or rates a case.
  const handlersRef: { onCaseChange?: (outcome: CaseOutcome) => Promise<void>; handoff?: HandoffService } = {};
  const procedureAsks = createRedisProcedureAsks(redis, { prefix: config.queuePrefix });
  const handlers = createActionHandlers({
    // What citizens ask about, for the governance page; the console's own try panel is not a citizen.
    onProcedureExplained: (id, ctx) => (ctx.channel === 'console' ? undefined : procedureAsks.record(id, ctx.now)),
    onCaseChange: (outcome) => handlersRef.onCaseChange?.(outcome) ?? Promise.resolve(),
    catalogue,
    ...(caseData ? { cases: stores.cases, officials: stores.officials, routing: caseData.routing, calendar: caseData.calendar } : {}),
    ...(caseData && desk ? { appointments: stores.appointments, desk, reminders: reminderPlanner, reminderChannels: noticeChannels.reminders } : {}),
    ...(caseData ? { handoffs: stores.handoffs } : {}),
    attempts: createRedisAttemptLimiter(redis, { prefix: config.queuePrefix }),
    // Set once the hand-off jobs exist (below); without the commune's routing, hand-offs are not open.
    ...(caseData
      ? {
          handoff: {
            request: (input: Parameters<HandoffService['request']>[0]) => {
              if (!handlersRef.handoff) throw new AppError('SHUTTING_DOWN', 'hand-offs not ready');
              return handlersRef.handoff.request(input);
            },
          },
        }
      : {}),
  });

  const senders: Partial<Record<string, ChannelSender>> = {};
  const templateParts: Parameters<typeof createTemplateSender>[0] = {};
  if (config.messenger) {
    senders.messenger = createMessengerSender(config.messenger, { log });
    templateParts.messenger = createMessengerTemplateSender(config.messenger, { log });
  }
  if (config.zalo) {
    const tokens = createZaloTokenManager({ config: config.zalo, store: stores.tokens, lock: createRedisLock(redis, { prefix: config.queuePrefix }), clock: systemClock, log });
    senders.zalo = createZaloSender(config.zalo, { tokens, log });
    templateParts.zalo = createZnsSender(config.zalo, { tokens, log });
  }
  // Outside the free windows: Messenger Utility templates and Zalo ZNS, where the settings name one.
  const templates = createTemplateSender(templateParts);

  // The commune's job families and the officials' chat (see civic-jobs.ts).
  const civic = createCivicJobs({ config, stores, data: { catalogue, cases: caseData, desk }, redis, senders, templates, log });
  const { caseJobs, handoffService, appointmentReminders, resultDates } = civic;
  handlersRef.onCaseChange = caseJobs ? (outcome) => caseJobs.afterCaseChange(outcome) : undefined;
  handlersRef.handoff = handoffService ?? undefined;
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
    takePending: caseJobs ? async (channel, userId) => (await caseJobs.pending.take(channel, userId)).map((n) => ({ text: n.text, ...(n.choices ? { choices: n.choices } : {}) })) : undefined,
    intercept: civic.intercept,
    // Commune staff answered the citizen in the Messenger Page Inbox: the bot is silent there for the
    // hand-off quiet time, and an open hand-off is theirs now.
    pageReplyQuietMs: config.handoff.quietMinutes * 60_000,
    onPageReply: handoffService
      ? async (event) => {
          const ended = await handoffService.answeredFromPageInbox(event.channel, event.userId);
          if (ended) log.info({ handoff: ended.code }, 'hand-off ended: answered from the Page Inbox');
        }
      : undefined,
    metrics,
    log,
  });
  metrics.watch({
    queues: createQueueFigures([...Object.values(path.queues), ...civic.queues()], redis),
    pendingNotices: caseJobs ? async () => (await caseJobs.pending.list()).flatMap((p) => p.notices) : undefined,
  });

  if (config.role !== 'web') {
    await path.startWorkers();
    civic.startWorkers();
  }

  const adminConsole = createAdminConsole({
    adminToken: config.adminToken,
    redis,
    prefix: config.queuePrefix,
    stores,
    publishing,
    hasViKey: (key) => t.hasKey(key, 'vi'),
    t,
    // The flow editor's try panel runs only the actions that read the catalogue and the desk's days.
    readOnlyActions: (effect, locale) => runAction(handlers, effect, { channel: 'console', userId: 'try-panel', conversationKey: 'console:try-panel', now: systemClock.now(), locale }),
    routing: caseData?.routing,
    queues: [...Object.values(path.queues), ...civic.queues()],
    pendingNotices: caseJobs ? () => caseJobs.pending.list() : undefined,
    onPublished: () => void flows.refresh(),
    communeData: { publishing: dataPublishing, onPublished: () => void communeData.refresh().catch((err: unknown) => log.warn({ err }, 'commune data refresh failed')) },
    onCaseChange: caseJobs ? (outcome) => caseJobs.afterCaseChange(outcome) : undefined,
    ...(caseData && resultDates && appointmentReminders
      ? {
          appointments: {
            appointments: stores.appointments,
            officials: stores.officials,
            calendar: caseData.calendar,
            catalogue,
            resultSettings: resultDates.settings,
            reminders: appointmentReminders.planner,
            undeliverable: (limit?: number) => appointmentReminders.undeliverable(limit),
            resultNotifier: resultDates.notifier,
          },
        }
      : {}),
    handoffs: handoffService ?? undefined,
    askedProcedures: (days) => procedureAsks.counts(days),
    catalogue,
  });

  let server: AppServer | null = null;
  let port: number | null = null;
  if (config.role !== 'worker' || opts.http !== false) {
    const accept = async (events: InboundEvent[]) => {
      const outcome = await withDeadline(path.inbox.accept(events), ACCEPT_DEADLINE_MS);
      const channel = events[0]?.channel;
      if (channel) {
        metrics.eventsAccepted.inc({ channel, outcome: 'queued' }, outcome.queued);
        metrics.eventsAccepted.inc({ channel, outcome: 'duplicate' }, outcome.duplicates);
      }
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
              createOpen311Router({ cases: stores.cases, routing: caseData?.routing }),
            ]
          : [],
      ready: { redis: async () => void (await redis.ping()), store: () => stores.health.ping() },
      trustProxy: config.trustProxy,
      metricsToken: config.metricsToken,
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
    communeData: () => communeData.current(),
    stop() {
      stopped ??= (async () => {
        log.info({}, 'draining');
        clearInterval(refreshTimer);
        await server?.stop();
        await path.close();
        await civic.close();
        await Promise.all([redis, producer, inboxRedis].map((r) => r.quit().catch(() => undefined)));
        if (!opts.stores) await stores.health.close();
        log.info({}, 'stopped');
      })();
      return stopped;
    },
  };
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
    if (problems) console.error(`Cannot start: invalid flows or commune data\n${problems.map((p) => `  - ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n')}`);
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
  // A closed terminal sends SIGHUP: drain and stop the auto-started redis-server as for SIGTERM.
  process.once('SIGHUP', () => shutdown('SIGHUP'));
}

if (require.main === module) void main();
