import type { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { ChannelSender, InboundEvent, OutboundMessage } from '../channels/types';
import type { Metrics } from '../metrics';
import type { Logger } from '../shared/logger';
import type { ConversationStore } from '../store/ports';
import type { PendingMessage, TurnEngine } from './conversation-turn';
import { createEffectsWorker, redisEffectOutcomes, type ActionRunner } from './effects-worker';
import { createInboundWorker, createReadyPump, type ReadyPump } from './inbound-worker';
import { createInbox, type Inbox } from './inbox';
import { createOutboundWorker } from './outbound-worker';
import { QUEUES, closeWhenReady, createQueue, keyLayout, type KeyLayout } from './queues';

export type { PendingMessage, TurnEngine, TurnResult } from './conversation-turn';
export type { ActionRunner, ActionOutcome } from './effects-worker';

export interface MessagePath {
  inbox: Inbox;
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
  metrics: Metrics;
  log: Logger;
  /** backoff base for transient send failures; default 1 s (tests shorten it) */
  sendBackoffMs?: number;
  /** the clock of the messaging-window check; default Date.now */
  now?: () => number;
  /** notices kept for a person while their window was closed, taken at their next message */
  takePending?: (channel: string, userId: string) => Promise<PendingMessage[]>;
  /** the ready pump's sweep of marks left without a drain job, and how it pops; defaults in createReadyPump (tests change them) */
  readySweep?: { sweepEveryMs?: number; staleAfterMs?: number; multiPop?: boolean };
  /** messages handled before the flows (officials' commands, open hand-offs); see handleInboundEvent */
  intercept?: (event: InboundEvent, receivedAt: number) => Promise<{ replies: OutboundMessage[] } | null>;
  /** the bot's silence after a Page Inbox reply (HANDOFF_QUIET_MINUTES) and what else such a reply does; see handleInboundEvent */
  pageReplyQuietMs?: number;
  onPageReply?: (event: InboundEvent, receivedAt: number) => Promise<void>;
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
  const workers: Worker[] = [];
  let pump: { pump: ReadyPump; blocking: Redis; started: Promise<void> } | null = null;
  const workerConnection = () => new Redis(deps.redisUrl, { maxRetriesPerRequest: null });

  return {
    inbox,
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
          deps: { engine: deps.engine, conversations: deps.conversations, outbound: queues.outbound, effects: queues.effects, log, takePending: deps.takePending, intercept: deps.intercept, pageReplyQuietMs: deps.pageReplyQuietMs, onPageReply: deps.onPageReply },
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
