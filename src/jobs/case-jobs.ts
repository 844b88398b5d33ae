import { Queue, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { ChannelSender } from '../channels/types';
import type { Calendar } from '../civic/calendar/calendar';
import type { CaseOutcome } from '../civic/cases/notices';
import type { Logger } from '../shared/logger';
import type { CaseStore } from '../store/ports/cases';
import type { ConversationStore } from '../store/ports/conversations';
import type { OfficialStore } from '../store/ports/officials';
import { CASE_QUEUE, createCaseScheduler, type CaseScheduler } from './case-schedule';
import { createCaseWorker } from './case-worker';
import { createNoticeDelivery, type NoticeDelivery, type TemplateSender } from './notice-delivery';
import type { NoticeSettings } from '../shared/messaging-policy';
import { createPendingNotices, type PendingNotices } from './pending-notices';
import { closeWhenReady } from './queues';

export interface CaseJobs {
  queue: Queue;
  scheduler: CaseScheduler;
  delivery: NoticeDelivery;
  pending: PendingNotices;
  /**
   * Call with what every case use case returns (fileCase, assignCase, acceptCase…), after it was
   * stored: re-plans the case's deadline jobs and enqueues its notices. The assignee's own
   * 'assigned' notice is the scheduler's "notify now" job, so it is not enqueued twice.
   */
  afterCaseChange(outcome: CaseOutcome): Promise<void>;
  /** Starts this process's case worker (role worker or all). */
  startWorker(opts?: { concurrency?: number }): void;
  /** Finishes the jobs in progress, then closes the worker and the queue (not the shared connection). */
  close(): Promise<void>;
}

/** The case deadline jobs and notice delivery, built from the process's adapters. */
export function createCaseJobs(deps: {
  /** for the queue, the scheduler's sets and the pending lists */
  redis: Redis;
  redisUrl: string;
  prefix: string;
  calendar: Calendar;
  cases: CaseStore;
  officials: OfficialStore;
  conversations: ConversationStore;
  senders: Partial<Record<string, ChannelSender>>;
  settings?: NoticeSettings;
  templates?: TemplateSender;
  log: Logger;
  now?: () => number;
  /** backoff base for transient send failures; default 1 s */
  backoffBaseMs?: number;
}): CaseJobs {
  const { redis, prefix, log, now = Date.now } = deps;
  const queue = new Queue(CASE_QUEUE, { connection: redis, prefix });
  queue.on('error', (err) => deps.log.warn({ err }, 'case queue error'));
  const scheduler = createCaseScheduler({ queue, redis, calendar: deps.calendar, now });
  const pending = createPendingNotices(redis, prefix);
  const delivery = createNoticeDelivery({ senders: deps.senders, officials: deps.officials, conversations: deps.conversations, pending, settings: deps.settings, templates: deps.templates, log, now });
  let worker: Worker | null = null;

  return {
    queue,
    scheduler,
    delivery,
    pending,
    async afterCaseChange({ case: c, notices }) {
      await scheduler.planCase(c);
      await scheduler.enqueueNotices(c, notices.filter((n) => !(n.to === 'official' && n.kind === 'assigned' && n.officialId === c.assigneeId)));
    },
    startWorker({ concurrency } = {}) {
      if (worker) return;
      worker = createCaseWorker({
        connection: new Redis(deps.redisUrl, { maxRetriesPerRequest: null }),
        prefix,
        cases: deps.cases,
        officials: deps.officials,
        scheduler,
        delivery,
        log,
        now,
        concurrency,
        backoffBaseMs: deps.backoffBaseMs,
      });
    },
    async close() {
      if (worker) {
        const conn = await worker.client;
        await closeWhenReady(worker);
        await conn.quit().catch(() => undefined);
      }
      await closeWhenReady(queue);
    },
  };
}
