import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { InboundEvent, ChannelName } from '../channels/types';
import type { Logger } from '../shared/logger';
import type { ActionOutcome, ActionRunner } from './action-runner';
import type { EffectJobData } from './conversation-turn';
import type { Inbox } from './inbox';
import { QUEUES, backoffWithJitter } from './queues';


/** How long a finished action's outcome is kept for a retried effect job. */
const OUTCOME_TTL_S = 7 * 24 * 3600;

/**
 * Remembers each effect's outcome once its action ran, so a job retried after the action succeeded
 * (the result could not be fed back, the process died before completing the job) does not run the
 * action again: a petition is filed once, a slot is booked once.
 */
export interface EffectOutcomes {
  get(effectId: string): Promise<ActionOutcome | null>;
  set(effectId: string, outcome: ActionOutcome): Promise<void>;
}

export function redisEffectOutcomes(redis: Redis, prefix: string): EffectOutcomes {
  const key = (id: string) => `${prefix}:fx-outcome:${id}`;
  return {
    async get(id) {
      const raw = await redis.get(key(id));
      return raw === null ? null : (JSON.parse(raw) as ActionOutcome);
    },
    async set(id, outcome) {
      await redis.set(key(id), JSON.stringify(outcome), 'EX', OUTCOME_TTL_S);
    },
  };
}

/**
 * The effects worker carries the engine's effects to civic/ and feeds each result back into the same
 * conversation as an `action_result` event, through the inbox: it is then handled in order, like a
 * message. The result's event id is derived from the effect, so a retried job adds it only once.
 */
export function createEffectsWorker(opts: {
  connection: ConnectionOptions;
  prefix: string;
  inbox: Inbox;
  runAction: ActionRunner;
  outcomes: EffectOutcomes;
  log: Logger;
  now?: () => number;
  concurrency?: number;
}): Worker {
  const { connection, prefix, inbox, runAction, outcomes, log, now = Date.now, concurrency = 16 } = opts;

  async function run(job: Job<EffectJobData>): Promise<void> {
    const d = job.data;
    const at = now();
    const effectId = `fx:${d.eventId}:${d.index}`;
    let outcome = await outcomes.get(effectId);
    if (outcome) log.info({ action: d.action, attempt: job.attemptsMade }, 'effect already ran: its outcome is fed back again');
    else {
      outcome = await runAction({ action: d.action, args: d.args }, { channel: d.channel, userId: d.userId, conversationKey: d.conversationKey, now: at, locale: d.locale });
      await outcomes.set(effectId, outcome);
    }
    const event: InboundEvent = {
      id: effectId,
      channel: d.channel as ChannelName,
      userId: d.userId,
      timestamp: at,
      content: { type: 'action_result', action: d.action, ok: outcome.ok, code: outcome.code, data: outcome.data, requestedAt: d.requestedAt },
    };
    await inbox.accept([event]);
  }

  const worker = new Worker(QUEUES.effects, run, {
    connection,
    prefix,
    concurrency,
    settings: { backoffStrategy: (attemptsMade: number) => backoffWithJitter(attemptsMade, { baseMs: 500 }) },
  });
  worker.on('failed', (job, err) => log.warn({ err, queue: QUEUES.effects, action: job?.data.action }, 'effect job failed'));
  worker.on('error', (err) => log.error({ err }, 'effects worker error'));
  return worker;
}
