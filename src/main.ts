import type { ChildProcess } from 'node:child_process';
import { PlaceholderError, productionBlockers } from './civic/commune-data/placeholders';
import { resolve } from 'node:path';
import type { Router } from 'express';
import { Redis } from 'ioredis';
import { ConfigError, loadConfig, type Config } from './config';
import type { ChannelSender, TemplateSender } from './channels/types';
import { createMessengerRouter, createMessengerSender, createMessengerTemplateSender } from './channels/messenger';
import { createZaloRouter, createZaloSender, createZaloTokenManager, createZnsSender } from './channels/zalo';
import { createTemplateSender } from './channels/template-sender';
import { createActionHandlers, runAction } from './civic/actions';
import { useWords } from './civic/words';
import type { ActionHandler } from './civic/action-kit';
import type { RoutingRules } from './civic/officials/routing-rules';
import { createCivicJobs, noticeChannelsOf, type CivicJobs, type JobQueue } from './civic-jobs';
import { createFlowPublishing } from './admin/flows';
import type { DraftCheckInput } from './admin/flow-check';
import { createFlowCheckThread } from './admin/flow-check-thread';
import { createAdminConsole } from './admin/admin-console';
import { READ_ONLY_ACTIONS } from './admin/flow-try';
import { createOpen311Router } from './admin/api/open311';
import { seedOfficials } from './civic/officials/seed-officials';
import { createRedisAttemptLimiter } from './jobs/redis-attempt-limiter';
import { createRedisProcedureAsks } from './jobs/procedure-asks';
import type { CaseOutcome } from './civic/cases';
import type { FlowRegistry } from './conversation';
import { readDataSources, type CommuneData } from './commune-data';
import { createCommuneDataInUse } from './commune-data-in-use';
import { createCommuneDataPublishing } from './admin/commune-data';
import { createFlowsInUse } from './flows-in-use';
import { loadErrorMessages } from './http-errors';
import { createTranslator, localeKeys } from './i18n';
import { createMessagePath, type MessagePath } from './jobs';
import { flowEngine } from './jobs/conversation-turn';
import { createRedisLock } from './jobs/redis-lock';
import { createLogger } from './logging';
import { createMetrics } from './metrics';
import { ALL_QUEUES, JOB_STATES, createQueueFigures } from './jobs/queue-figures';
import { LOCALES_DIR } from './paths';
import { ensureRedis, RedisUnavailable } from './redis-bootstrap';
import { openStoreWithin, storeHost } from './store-start';
import { createServer, type AppServer } from './server';
import { systemClock } from './shared/clock';
import type { Logger } from './shared/logger';
import type { Stores } from './store/ports';
import { createMemoryStores } from './store/memory';
import { createMongoStores } from './store/mongo';
import { messagingPolicyFor } from './channels/policies';

export interface RunningApp {
  port: number | null;
  stores: Stores;
  path: MessagePath;
  /** every queue of this process (the message path's and the commune's job families): for waiting on them */
  queues(): JobQueue[];
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

/**
 * Builds everything from the settings and starts the role in config.role, in the order a message
 * needs it: the stores and the content (flows, commune data), Redis, the platforms' clients, the
 * commune's job families (which say what a turn does before the flows), the actions the flows call,
 * the message path, the console, and HTTP.
 */
export async function startApp(config: Readonly<Config>, opts: StartOptions = {}): Promise<RunningApp> {
  const log = opts.log ?? createLogger({ level: config.logLevel });
  warnAboutChannels(config, log);
  const stores = opts.stores ?? (await openStores(config, log));
  if (!opts.stores) log.info({ store: config.mongodbUri ? 'mongo' : 'memory' }, 'store ready');
  refusePlaceholders(config, log);
  const content = await loadContent(config, stores, log);
  const conn = await connectRedis(config, log);
  const metrics = createMetrics({ queueNames: ALL_QUEUES, states: JOB_STATES });
  const platforms = createPlatformClients(config, stores, conn.redis, log);
  const { catalogue, cases: caseData, desk } = content.communeData.live;
  const civic = createCivicJobs({ config, stores, data: { catalogue, cases: caseData, desk }, redis: conn.redis, senders: platforms.senders, templates: platforms.templates, log });
  const actions = createActions(config, stores, content, civic, conn.redis);
  const path = createMessagePath({
    redis: conn.redis,
    producer: conn.producer,
    inboxRedis: conn.inboxRedis,
    redisUrl: config.redisUrl,
    prefix: config.queuePrefix,
    conversations: stores.conversations,
    engine: flowEngine(() => content.flows.current(), content.t),
    senders: platforms.senders,
    runAction: (effect, ctx) => runAction(actions.handlers, effect, ctx),
    // Catalogue and calendar reads answer within the turn (one turn for greeting, explanation and offer).
    inlineActions: READ_ONLY_ACTIONS,
    before: civic.beforeFlows,
    // Commune staff answered the citizen in the Messenger Page Inbox: the bot is silent there for the hand-off quiet time.
    pageReplyQuietMs: config.handoff.quietMinutes * 60_000,
    metrics,
    log,
  });
  const queues = () => [...Object.values(path.queues), ...civic.queues()];
  metrics.watch({
    queues: createQueueFigures(queues(), conn.redis),
    pendingNotices: civic.caseJobs ? async () => (await civic.caseJobs!.pending.list()).flatMap((p) => p.notices) : undefined,
  });
  if (config.role !== 'web') {
    await path.startWorkers();
    civic.startWorkers();
  }
  const adminConsole = createConsole(config, stores, content, civic, actions, conn.redis, queues(), log);
  const http = config.role !== 'worker' || opts.http !== false ? await serveHttp(config, { stores, path, adminConsole, routing: caseData?.routing, metrics, redis: conn.redis, log }) : null;

  let stopped: Promise<void> | null = null;
  return {
    port: http?.port ?? null,
    stores,
    path,
    queues,
    flows: () => content.flows.current(),
    communeData: () => content.communeData.current(),
    stop() {
      stopped ??= (async () => {
        log.info({}, 'draining');
        clearInterval(content.refreshTimer);
        await http?.server.stop();
        await path.close();
        await civic.close();
        await content.flowCheck?.close();
        await Promise.all([conn.redis, conn.producer, conn.inboxRedis].map((r) => r.quit().catch(() => undefined)));
        if (!opts.stores) await stores.health.close();
        log.info({}, 'stopped');
      })();
      return stopped;
    },
  };
}

/** MongoDB when MONGODB_URI is set (tried again for MONGODB_START_WAIT_SECONDS while it comes up), else the memory store. */
async function openStores(config: Readonly<Config>, log: Logger): Promise<Stores> {
  const mongodbUri = config.mongodbUri;
  if (!mongodbUri) return createMemoryStores();
  return openStoreWithin((attemptMs) => createMongoStores(mongodbUri, { serverSelectionTimeoutMS: attemptMs }), { waitMs: config.storeStartWaitMs, log, what: storeHost(mongodbUri) });
}

function warnAboutChannels(config: Readonly<Config>, log: Logger): void {
  for (const d of config.disabled) log.warn({ channel: d.channel, missing: d.missing }, `${d.channel} channel disabled: settings missing`);
  for (const i of config.ignored) log.warn({ setting: i.setting, channel: i.channel }, `${i.setting} ignored: the ${i.channel} channel is disabled`);
}

/**
 * No placeholder ("Ví dụ: …", "(cập nhật …)", an empty commune fact) may reach a citizen: in
 * production they stop the start with each file and line; elsewhere the demo data runs and says so.
 */
function refusePlaceholders(config: Readonly<Config>, log: Logger): void {
  const placeholders = productionBlockers(resolve(config.flowsDir));
  if (placeholders.length === 0) return;
  if (config.production) throw new PlaceholderError(placeholders);
  log.warn({ placeholders: placeholders.length, first: `${placeholders[0]?.file}:${placeholders[0]?.line}` }, 'DEMO DATA: the commune data still has placeholders (npm run flows:check lists them); production refuses to start with them');
}

interface Content {
  flows: ReturnType<typeof createFlowsInUse>;
  t: Awaited<ReturnType<typeof createTranslator>>;
  publishing: ReturnType<typeof createFlowPublishing>;
  communeData: ReturnType<typeof createCommuneDataInUse>;
  dataPublishing: ReturnType<typeof createCommuneDataPublishing>;
  refreshTimer: NodeJS.Timeout;
  /** the flow check thread of a process that serves the admin API; null in the worker role */
  flowCheck: ReturnType<typeof createFlowCheckThread> | null;
}

/**
 * The flows (an invalid file stops the start: FlowLoadError) and the commune's data (catalogue,
 * routing + roster, calendar, desk), each from the files and then what admins published, polled
 * every FLOWS_REFRESH_MS; the factories get live views, so a publish reaches them without a restart.
 */
async function loadContent(config: Readonly<Config>, stores: Stores, log: Logger): Promise<Content> {
  const dir = resolve(config.flowsDir);
  const communeData = createCommuneDataInUse({
    dir,
    flowStore: stores.flows,
    log,
    // officials new in a published roster are seeded like the file's
    onChange: async (d) => void (d.cases ? await seedOfficials(stores.officials, d.cases.routing) : undefined),
  });
  await communeData.refresh();
  // Drafts are checked, and published versions read, on a thread of their own where webhooks are
  // answered: a 256 kB flow takes hundreds of ms of CPU to check, which the webhooks must not wait for.
  const flowCheck = config.role !== 'worker' ? createFlowCheckThread({ viKeys: localeKeys(LOCALES_DIR, 'vi') }) : null;
  // The flows' texts say the commune's facts of the commune data in use (commune.yaml, published or not).
  const flows = createFlowsInUse({
    dir,
    flowStore: stores.flows,
    log,
    commune: () => communeData.current().texts,
    ...(flowCheck ? { parse: (source: string, file: string) => flowCheck.parse(source, file) } : {}),
  });
  await flows.refresh();
  const t = await createTranslator(LOCALES_DIR);
  useWords(t);
  const publishing = createFlowPublishing({
    flowStore: stores.flows,
    fileSources: flows.fileSources,
    hasViKey: (key) => t.hasKey(key, 'vi'),
    ...(flowCheck ? { runCheck: (input: DraftCheckInput) => flowCheck.check(input) } : {}),
    // read at publish time: the written-out procedure ids must be in the catalogue in use
    procedureIds: () => {
      const d = communeData.current();
      return d.missing.includes('procedures.yaml') ? undefined : new Set(d.catalogue.procedures.map((p) => p.id));
    },
  });
  const dataPublishing = createCommuneDataPublishing({
    flowStore: stores.flows,
    fileSources: () => readDataSources(dir),
    flowSources: async () => [...(await publishing.currentSources()).values()],
  });
  const { missing, cases } = communeData.current();
  if (missing.length > 0) log.warn({ missing }, 'commune data files missing in FLOWS_DIR/data: their services answer SERVICE_NOT_OPEN');
  if (cases) await seedOfficials(stores.officials, cases.routing);
  const refreshTimer = setInterval(() => {
    void flows.refresh().catch((err: unknown) => log.warn({ err }, 'flow refresh failed'));
    void communeData.refresh().catch((err: unknown) => log.warn({ err }, 'commune data refresh failed'));
  }, FLOWS_REFRESH_MS);
  refreshTimer.unref();
  return { flows, t, publishing, communeData, dataPublishing, refreshTimer, flowCheck };
}

/**
 * Workers and locks wait out a Redis blip; the webhook's enqueue (producer, inbox) fails fast
 * instead, so the platform gets a 503 and retries rather than a request hanging past its timeout.
 */
async function connectRedis(config: Readonly<Config>, log: Logger): Promise<{ redis: Redis; producer: Redis; inboxRedis: Redis }> {
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const producer = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 });
  const inboxRedis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, enableAutoPipelining: true });
  for (const r of [redis, producer, inboxRedis]) r.on('error', (err) => log.warn({ err }, 'redis connection error'));
  await Promise.all([waitReady(producer), waitReady(inboxRedis)]);
  return { redis, producer, inboxRedis };
}

/** The Send API clients of the enabled platforms, and the templates for outside the free windows (Utility, ZNS). */
function createPlatformClients(config: Readonly<Config>, stores: Stores, redis: Redis, log: Logger): { senders: Partial<Record<string, ChannelSender>>; templates: TemplateSender } {
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
  return { senders, templates: createTemplateSender(templateParts) };
}

interface Actions {
  handlers: Record<string, ActionHandler>;
  procedureAsks: ReturnType<typeof createRedisProcedureAsks>;
}

/** The actions the flows call, over the commune's data and the job families that carry their consequences. */
function createActions(config: Readonly<Config>, stores: Stores, content: Content, civic: CivicJobs, redis: Redis): Actions {
  const { catalogue, cases: caseData, desk } = content.communeData.live;
  const { caseJobs, handoffService, appointmentReminders } = civic;
  const procedureAsks = createRedisProcedureAsks(redis, { prefix: config.queuePrefix });
  const handlers = createActionHandlers({
    catalogue,
    communeTexts: content.communeData.live.texts,
    // What citizens ask about, for the governance page; the console's own try panel is not a citizen.
    onProcedureExplained: (id, ctx) => (ctx.channel === 'console' ? undefined : procedureAsks.record(id, ctx.now)),
    ...(caseJobs ? { onCaseChange: (outcome: CaseOutcome) => caseJobs.afterCaseChange(outcome) } : {}),
    ...(caseData ? { cases: stores.cases, officials: stores.officials, routing: caseData.routing, calendar: caseData.calendar, handoffs: stores.handoffs } : {}),
    ...(caseData && desk
      ? { appointments: stores.appointments, desk, ...(appointmentReminders ? { reminders: appointmentReminders.planner } : {}), reminderChannels: noticeChannelsOf(config.notices).reminders, messaging: messagingPolicyFor }
      : {}),
    attempts: createRedisAttemptLimiter(redis, { prefix: config.queuePrefix }),
    // without the commune's routing, hand-offs are not open
    ...(handoffService ? { handoff: handoffService } : {}),
  });
  return { handlers, procedureAsks };
}

function createConsole(config: Readonly<Config>, stores: Stores, content: Content, civic: CivicJobs, actions: Actions, redis: Redis, queues: JobQueue[], log: Logger): ReturnType<typeof createAdminConsole> {
  const { catalogue, cases: caseData } = content.communeData.live;
  const { caseJobs, handoffService, appointmentReminders, resultDates } = civic;
  return createAdminConsole({
    adminToken: config.adminToken,
    redis,
    prefix: config.queuePrefix,
    stores,
    publishing: content.publishing,
    hasViKey: (key) => content.t.hasKey(key, 'vi'),
    t: content.t,
    // The flow editor's try panel runs only the actions that read the catalogue and the desk's days.
    readOnlyActions: (effect, locale) => runAction(actions.handlers, effect, { channel: 'console', userId: 'try-panel', conversationKey: 'console:try-panel', now: systemClock.now(), locale }),
    routing: caseData?.routing,
    queues,
    pendingNotices: caseJobs ? () => caseJobs.pending.list() : undefined,
    onPublished: () => void content.flows.refresh(),
    communeData: { publishing: content.dataPublishing, onPublished: () => void content.communeData.refresh().catch((err: unknown) => log.warn({ err }, 'commune data refresh failed')) },
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
    askedProcedures: (days) => actions.procedureAsks.counts(days),
    catalogue,
  });
}

/** The webhooks (not in the worker role), the console and Open311 (web), health and metrics (every role). */
async function serveHttp(
  config: Readonly<Config>,
  parts: { stores: Stores; path: MessagePath; adminConsole: ReturnType<typeof createAdminConsole>; routing: RoutingRules | undefined; metrics: ReturnType<typeof createMetrics>; redis: Redis; log: Logger },
): Promise<{ server: AppServer; port: number }> {
  const { stores, path, adminConsole, routing, metrics, redis, log } = parts;
  const channels: { messenger?: Router; zalo?: Router } = {};
  if (config.role !== 'worker') {
    if (config.messenger) channels.messenger = createMessengerRouter(config.messenger, { accept: path.accept, log });
    if (config.zalo) channels.zalo = createZaloRouter(config.zalo, { accept: path.accept, log });
  }
  const server = createServer({
    log,
    metrics,
    errorMessages: loadErrorMessages(LOCALES_DIR),
    channels,
    extra: config.role !== 'worker' ? [...adminConsole.routers, createOpen311Router({ cases: stores.cases, routing, log })] : [],
    ready: { redis: async () => void (await redis.ping()), store: () => stores.health.ping() },
    trustProxy: config.trustProxy,
    metricsToken: config.metricsToken,
  });
  const port = await server.start(config.port);
  log.info({ port, role: config.role }, 'listening');
  return { server, port };
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
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
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
  // Under `npm start` the app is npm's child (through a shell): npm passes on SIGTERM and SIGINT
  // only, and a SIGHUP or a kill ends npm alone. When the parent is gone, stop as if told to, rather
  // than run on unseen, holding the port and the auto-started redis-server.
  if (config.launchedByNpm) {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) shutdown('parent exited');
    }, 1000).unref();
  }
}

if (require.main === module) void main();
