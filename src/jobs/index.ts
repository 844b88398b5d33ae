import type { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { ChannelSender, InboundEvent } from '../channels/types';
import type { Metrics } from '../metrics';
import { AppError } from '../shared/app-error';
import type { Logger } from '../shared/logger';
import type { ConversationStore } from '../store/ports';
import type { TurnEngine } from './conversation-turn';
import type { ActionRunner } from './action-runner';
import { NOTHING_BEFORE_FLOWS, type BeforeFlows } from './before-flows';
import { createEffectsWorker, redisEffectOutcomes } from './effects-worker';
import { createInboundWorker, createReadyPump, type ReadyPump } from './inbound-worker';
import { createInbox, type Inbox } from './inbox';
import { createOutboundWorker } from './outbound-worker';
import { QUEUES, closeWhenReady, createQueue, keyLayout, type KeyLayout } from './queues';

export type { TurnEngine, TurnResult } from './conversation-turn';
export type { BeforeFlows, PendingMessage } from './before-flows';
export type { ActionRunner, ActionOutcome } from './action-runner';

export interface MessagePath {
  inbox: Inbox;
  /**
   * What a webhook router calls with the events of one delivery: stored in the inbox (invariant 1)
   * within the platform's patience, counted as queued or duplicate; a QUEUE_UNAVAILABLE AppError
   * (the router's 503, so the platform retries) when Redis refuses or is too slow.
   */
  accept(events: InboundEvent[]): Promise<void>;
  queues: { inbound: Queue; outbound: Queue; effects: Queue };
  keys: KeyLayout;
  /**
   * Starts this process's workers (inbound, outbound, effects) and its ready pump, which turns the
   * conversations the webhooks marked ready into drain jobs; resolves once the marks left without a
   * job (a worker that died) have theirs.
   */
  startWorkers(opts?: { inboundConcurrency?: number; outboundConcurrency?: number }): Promise<void>;
  /** Job counts per queue and state, for /metrics. */
  depth(): Promise<{ queue: string; state: string; count: number }[]>;
  /** Finishes in-flight jobs, then closes workers and queues (not the shared Redis connection). */
  close(): Promise<void>;
}

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

/** The path of one message through Redis: inbox -> inbound worker -> outbound and effects workers. */
export function createMessagePath(deps: {
  /** for workers and locks: waits out a Redis blip */
  redis: Redis;
  /** for queues and the webhook's enqueue: may fail fast; default `redis` */
  producer?: Redis;
  /** for the inbox script only (no BullMQ scripts on it): may fail fast; default a new plain connection */
  inboxRedis?: Redis;
  redisUrl: string;
  prefix: string;
  conversations: ConversationStore;
  engine: TurnEngine;
  senders: Partial<Record<string, ChannelSender>>;
  runAction: ActionRunner;
  /** actions that only read, run within the turn that asked for them (conversation-turn.ts InlineActions); default none */
  inlineActions?: ReadonlySet<string>;
  metrics: Metrics;
  log: Logger;
  /** backoff base for transient send failures; default 1 s (tests shorten it) */
  sendBackoffMs?: number;
  /** the clock of the messaging-window check; default Date.now */
  now?: () => number;
  /** the ready pump's sweep of marks left without a drain job, and how it pops; defaults in createReadyPump (tests change them) */
  readySweep?: { sweepEveryMs?: number; staleAfterMs?: number; multiPop?: boolean };
  /** what a turn asks before the flows (officials' commands, hand-offs, waiting notices, Page Inbox replies); default nothing */
  before?: BeforeFlows;
  /** the bot's silence after a Page Inbox reply (HANDOFF_QUIET_MINUTES); see handleInboundEvent */
  pageReplyQuietMs?: number;
  /** how long a webhook may wait for the inbox before answering 503; default 3 s */
  acceptDeadlineMs?: number;
}): MessagePath {
  const { redis, prefix, log } = deps;
  const producer = deps.producer ?? redis;
  const keys = keyLayout(prefix);
  const queues = {
    inbound: createQueue(QUEUES.inbound, producer, prefix, (err) => log.warn({ err }, 'inbound queue error')),
    outbound: createQueue(QUEUES.outbound, producer, prefix, (err) => log.warn({ err }, 'outbound queue error')),
    effects: createQueue(QUEUES.effects, producer, prefix, (err) => log.warn({ err }, 'effects queue error')),
  };
  const ownInboxRedis = deps.inboxRedis ? null : new Redis(deps.redisUrl, { maxRetriesPerRequest: 1 });
  ownInboxRedis?.on('error', (err) => log.warn({ err }, 'inbox redis error'));
  const inbox = createInbox({ redis: deps.inboxRedis ?? ownInboxRedis!, keys });
  const acceptWithin = deps.acceptDeadlineMs ?? ACCEPT_DEADLINE_MS;
  const workers: Worker[] = [];
  let pump: { pump: ReadyPump; blocking: Redis; started: Promise<void> } | null = null;
  const workerConnection = () => new Redis(deps.redisUrl, { maxRetriesPerRequest: null });

  return {
    inbox,
    async accept(events) {
      const outcome = await withDeadline(inbox.accept(events), acceptWithin);
      const channel = events[0]?.channel;
      if (channel) {
        deps.metrics.eventsAccepted.inc({ channel, outcome: 'queued' }, outcome.queued);
        deps.metrics.eventsAccepted.inc({ channel, outcome: 'duplicate' }, outcome.duplicates);
      }
      if (outcome.duplicates > 0) log.info({ duplicates: outcome.duplicates }, 'duplicate deliveries ignored');
    },
    queues,
    keys,
    startWorkers({ inboundConcurrency, outboundConcurrency } = {}) {
      if (pump) return pump.started;
      workers.push(
        createInboundWorker({
          connection: workerConnection(),
          redis,
          inboundQueue: queues.inbound,
          keys,
          deps: { engine: deps.engine, conversations: deps.conversations, outbound: queues.outbound, effects: queues.effects, log, before: deps.before ?? NOTHING_BEFORE_FLOWS, pageReplyQuietMs: deps.pageReplyQuietMs, ...(deps.inlineActions?.size ? { inlineActions: { names: deps.inlineActions, run: deps.runAction } } : {}) },
          log,
          concurrency: inboundConcurrency,
        }),
        createOutboundWorker({
          connection: workerConnection(),
          prefix,
          outboundQueue: queues.outbound,
          senders: deps.senders,
          conversations: deps.conversations,
          metrics: deps.metrics,
          log,
          concurrency: outboundConcurrency,
          backoffBaseMs: deps.sendBackoffMs,
          now: deps.now,
        }),
        createEffectsWorker({ connection: workerConnection(), prefix, inbox, runAction: deps.runAction, outcomes: redisEffectOutcomes(redis, prefix), log }),
      );
      const blocking = workerConnection();
      blocking.on('error', (err) => log.warn({ err }, 'ready pump redis error'));
      const readyPump = createReadyPump({ blocking, redis, inboundQueue: queues.inbound, keys, log, ...deps.readySweep });
      pump = { pump: readyPump, blocking, started: readyPump.start() };
      return pump.started;
    },
    async depth() {
      const out: { queue: string; state: string; count: number }[] = [];
      for (const [name, q] of Object.entries(queues)) {
        const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
        for (const [state, count] of Object.entries(counts)) out.push({ queue: name, state, count });
      }
      return out;
    },
    async close() {
      // The pump first: every wake entry it took gets its drain job (or goes back) before it stops.
      if (pump) {
        await pump.started.catch(() => undefined);
        await pump.pump.close();
        await pump.blocking.quit().catch(() => undefined);
      }
      // Worker.close() waits for the jobs in progress: nothing acknowledged is dropped half-way.
      await Promise.all(workers.map(async (w) => {
        const conn = await w.client;
        await closeWhenReady(w);
        await conn.quit().catch(() => undefined);
      }));
      await Promise.all(Object.values(queues).map((q) => closeWhenReady(q)));
      await ownInboxRedis?.quit().catch(() => undefined);
    },
  };
}
