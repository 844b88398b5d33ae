import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job, type Queue } from 'bullmq';
import { isSendError, type ChannelSender } from '../channels/types';
import type { Logger } from '../shared/logger';
import type { ConversationStore } from '../store/ports';
import type { Metrics } from '../metrics';
import { outboundJobId, type OutboundJobData } from './conversation-turn';
import { messagingPolicyFor } from '../channels/policies';
import { QUEUES, backoffWithJitter, safeId } from './queues';

const UNFINISHED = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);
/** conversations whose last finished turn this process remembers */
const COMPLETED_KEPT = 10_000;

/**
 * The outbound worker: one job is one turn's replies, sent in order. A turn waits while the
 * previous turn of the same conversation is still unfinished, so replies never overtake each other
 * (invariant 3). Transient failures retry with exponential backoff and jitter, resuming after the
 * messages that went out; failures that can never succeed are recorded on the transcript and end
 * the job as failed, without retry (invariant 4). Should the process die in the middle of a turn,
 * its retry sends the turn again from the message the job last recorded (a reply may then arrive
 * twice; none is lost).
 */
export function createOutboundWorker(opts: {
  connection: ConnectionOptions;
  prefix: string;
  outboundQueue: Queue;
  senders: Partial<Record<string, ChannelSender>>;
  conversations: ConversationStore;
  metrics: Metrics;
  log: Logger;
  now?: () => number;
  /** concurrent turns in this process; default 32 */
  concurrency?: number;
  /** backoff base for transient send failures; default 1 s */
  backoffBaseMs?: number;
}): Worker {
  const { connection, prefix, outboundQueue, senders, conversations, metrics, log, now = Date.now, concurrency = 32, backoffBaseMs = 1000 } = opts;
  /** per conversation, the last turn this process finished sending */
  const completedHere = new Map<string, number>();

  type EntryUpdate = Parameters<ConversationStore['updateTranscriptEntries']>[1][number];
  const rest = (d: OutboundJobData, from: number, status: 'failed' | 'pending', error: string): EntryUpdate[] =>
    d.entryIds.slice(from).map((id) => ({ id, patch: { status, error } }));

  async function sendTurn(job: Job<OutboundJobData>, token?: string): Promise<void> {
    const d = job.data;
    // A predecessor this process saw complete needs no look-up in Redis.
    if (d.seq > 1 && completedHere.get(d.conversationKey) !== d.seq - 1) {
      const prev = await outboundQueue.getJobState(outboundJobId(d.conversationKey, d.seq - 1));
      if (UNFINISHED.has(prev)) {
        // A predecessor in backoff may wait minutes: poll it gently; an active one briefly.
        const wait = prev === 'delayed' ? 500 : 10 + Math.floor(Math.random() * 20);
        await job.moveToDelayed(Date.now() + wait, token);
        throw new DelayedError();
      }
    }
    const sender = senders[d.channel];
    if (!sender) {
      await conversations.updateTranscriptEntries(d.conversationKey, rest(d, d.sent ?? 0, 'failed', 'channel_disabled'));
      throw new UnrecoverableError(`channel ${d.channel} is disabled`);
    }
    const lastInbound = await conversations.lastInboundAt(d.channel, d.userId);
    if (!messagingPolicyFor(d.channel).insideFreeWindow(Math.max(lastInbound ?? 0, d.answersMessageAt ?? 0) || null, now())) {
      // Never send where the platform forbids it (invariant 9): the replies wait, visible as pending.
      await conversations.updateTranscriptEntries(d.conversationKey, rest(d, d.sent ?? 0, 'pending', 'window_closed'));
      metrics.sendFailures.inc({ channel: d.channel, reason: 'window_closed' });
      return;
    }
    // The turn's transcript lines are written once, after its sends (or at the failure), not one by
    // one; the job data is rewritten only when a retry must resume after what went out.
    const sentLines: EntryUpdate[] = [];
    for (let i = d.sent ?? 0; i < d.messages.length; i++) {
      try {
        const res = await sender.send(d.userId, d.messages[i], { purpose: 'response' });
        metrics.sends.inc({ channel: d.channel });
        sentLines.push({ id: d.entryIds[i], patch: { status: 'sent', ...(res.platformMessageId !== undefined ? { platformMessageId: res.platformMessageId } : {}) } });
      } catch (err) {
        const reason = isSendError(err) ? err.reason : 'unknown';
        const retryable = isSendError(err) ? err.retryable : true;
        metrics.sendFailures.inc({ channel: d.channel, reason });
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        log.warn({ channel: d.channel, conversation: safeId(d.conversationKey), reason, retryable, attempt: job.attemptsMade + 1 }, 'send failed');
        if (!retryable) {
          await conversations.updateTranscriptEntries(d.conversationKey, [...sentLines, ...rest(d, i, 'failed', reason)]);
          throw new UnrecoverableError(`send failed: ${reason}`);
        }
        await conversations.updateTranscriptEntries(d.conversationKey, lastAttempt ? [...sentLines, ...rest(d, i, 'failed', `${reason} (retries exhausted)`)] : sentLines);
        if (!lastAttempt && i > (d.sent ?? 0)) await job.updateData({ ...d, sent: i });
        throw err;
      }
    }
    await conversations.updateTranscriptEntries(d.conversationKey, sentLines);
  }

  const worker = new Worker(QUEUES.outbound, sendTurn, {
    connection,
    prefix,
    concurrency,
    settings: { backoffStrategy: (attemptsMade: number) => backoffWithJitter(attemptsMade, { baseMs: backoffBaseMs }) },
  });
  worker.on('completed', (job: Job<OutboundJobData>) => {
    const { conversationKey, seq } = job.data;
    // Kept for the latest turns only: an entry moves to the end when renewed, the oldest go first.
    completedHere.delete(conversationKey);
    completedHere.set(conversationKey, seq);
    if (completedHere.size > COMPLETED_KEPT) completedHere.delete(completedHere.keys().next().value as string);
  });
  worker.on('error', (err) => log.error({ err }, 'outbound worker error'));
  return worker;
}
