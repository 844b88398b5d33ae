/**
 * The hand-off's deliveries and timers on BullMQ (queue `handoffs`):
 * - `to_official`: a notice to an official (the request with the transcript, the citizen's words),
 *   through the notice delivery (their linked account, its window, pending otherwise);
 * - `to_citizen`: an official's words (HUMAN_AGENT / billed Zalo where allowed, see
 *   channels/<platform>/policy.ts) or the bot's note (a plain update inside the free window), pending otherwise;
 * - `unanswered`: delayed to the take-within deadline counted in office hours; still waiting then,
 *   a petition is opened and the citizen told its code and due date;
 * - `quiet`: delayed from the last message; nothing newer by then, the hand-off ends.
 * Job ids come from the hand-off and the message, so a retried step adds nothing twice, and delayed
 * jobs live in Redis: they survive a restart. One job at a time, so relayed words keep their order.
 */
import { Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { isSendError, type ChannelSender } from '../channels/types';
import type { Calendar } from '../civic/calendar/calendar';
import type { CaseOutcome } from '../civic/cases/notices';
import type { HandoffRelay } from '../civic/handoff/handoff-service';
import { CITIZEN_TEXT, localeOfTag, OFFICIAL_TEXT } from '../civic/handoff/handoff-text';
import { officeMinutesAfter } from '../civic/handoff/office-minutes';
import type { Logger } from '../shared/logger';
import type { ConversationStore } from '../store/ports/conversations';
import type { Handoff, HandoffMessage, HandoffStore } from '../store/ports/handoffs';
import type { OfficialStore } from '../store/ports/officials';
import { messagingPolicyFor } from '../channels/policies';
import type { HumanReplySettings } from '../shared/messaging-policy';
import type { NoticeDelivery, OutgoingNotice } from './notice-delivery';
import type { PendingNotices } from './pending-notices';
import { backoffWithJitter, closeWhenReady, jobIdPart, safeId } from './queues';

export const HANDOFF_QUEUE = 'handoffs';

export type HandoffJobData =
  | { type: 'to_official'; handoffId: string; officialId: string; noticeId: string; kind: string; text: string }
  | { type: 'to_citizen'; handoffId: string; noticeId: string; kind: string; text: string; human: boolean }
  | { type: 'unanswered'; handoffId: string }
  | { type: 'quiet'; handoffId: string; from: number };

const JOB: JobsOptions = {
  attempts: 6,
  backoff: { type: 'jitter' },
  // Completed jobs stay a week: their ids dedupe a step retried after a crash.
  removeOnComplete: { age: 7 * 24 * 3600, count: 200_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export interface HandoffSettings extends HumanReplySettings {
  /** minutes without a message either way before an active hand-off ends; default 30 */
  quietMinutes?: number;
  /** office-hours minutes for an official to take it before a petition is opened; default 15 */
  takeWithinMinutes?: number;
}

export interface HandoffJobs {
  queue: Queue;
  relay: HandoffRelay;
  /** Plans again the timers of every open hand-off (idempotent): at start-up, after an outage. */
  replanOpen(): Promise<void>;
  startWorker(): void;
  close(): Promise<void>;
}

export function createHandoffJobs(deps: {
  redis: Redis;
  redisUrl: string;
  prefix: string;
  handoffs: HandoffStore;
  officials: OfficialStore;
  conversations: ConversationStore;
  senders: Partial<Record<string, ChannelSender>>;
  /** the case jobs' delivery and pending lists: notices to officials, the bot's notes */
  delivery: NoticeDelivery;
  pending: PendingNotices;
  calendar: Calendar;
  /** files the petition of an unanswered hand-off; its jobs are planned by the caller's afterCaseChange */
  fileUnanswered(h: Handoff): Promise<{ outcome: CaseOutcome; dueText: string }>;
  afterCaseChange(outcome: CaseOutcome): Promise<void>;
  settings?: HandoffSettings;
  log: Logger;
  now?: () => number;
  backoffBaseMs?: number;
}): HandoffJobs {
  const { redis, prefix, handoffs, officials, conversations, senders, delivery, pending, calendar, log, now = Date.now, settings = {} } = deps;
  const { quietMinutes = 30, takeWithinMinutes = 15 } = settings;
  const quietMs = quietMinutes * 60_000;
  const queue = new Queue<HandoffJobData>(HANDOFF_QUEUE, { connection: redis, prefix });
  queue.on('error', (err) => log.warn({ err }, 'handoff queue error'));
  let worker: Worker<HandoffJobData> | null = null;

  const add = (data: HandoffJobData, jobId: string, delay = 0) => queue.add(data.type, data, { ...JOB, jobId, ...(delay > 0 ? { delay } : {}) });
  const idOf = (h: Handoff) => jobIdPart(h.id);

  const toOfficial = (h: Handoff, officialId: string, kind: string, key: string, text: string) =>
    add({ type: 'to_official', handoffId: h.id, officialId, noticeId: `handoff:${h.id}:${kind}:${key}:${officialId}`, kind, text }, `ho-off-${idOf(h)}-${safeId(kind, key, officialId)}`);
  const toCitizen = (h: Handoff, kind: string, key: string, text: string, human: boolean) =>
    add({ type: 'to_citizen', handoffId: h.id, noticeId: `handoff:${h.id}:${kind}:${key}`, kind, text, human }, `ho-cit-${idOf(h)}-${safeId(kind, key)}`);

  async function planUnanswered(h: Handoff): Promise<void> {
    const due = officeMinutesAfter(calendar, h.createdAt, takeWithinMinutes);
    if (due === null) return;
    await add({ type: 'unanswered', handoffId: h.id }, `ho-unanswered-${idOf(h)}`, Math.max(0, due - now()));
  }

  async function planQuiet(h: Handoff): Promise<void> {
    await add({ type: 'quiet', handoffId: h.id, from: h.lastActivityAt }, `ho-quiet-${idOf(h)}-${h.lastActivityAt}`, Math.max(0, h.lastActivityAt + quietMs - now()));
  }

  async function officialName(id: string | undefined): Promise<string> {
    return (id ? (await officials.get(id))?.name : undefined) ?? 'trực';
  }

  async function canReachCitizenNow(h: Handoff): Promise<boolean> {
    const lastInboundAt = await conversations.lastInboundAt(h.channel, h.userId);
    return messagingPolicyFor(h.channel).humanReplyRoute({ lastInboundAt, now: now(), settings }).via === 'message';
  }

  const relay: HandoffRelay = {
    async opened(h, recent) {
      const text = OFFICIAL_TEXT.request(h, recent);
      for (const id of h.notifiedIds) await toOfficial(h, id, 'handoff_request', 'open', text);
      await planUnanswered(h);
    },
    async relay(h, m: HandoffMessage) {
      if (m.from === 'citizen') {
        if (h.officialId) await toOfficial(h, h.officialId, 'handoff_citizen', m.id, OFFICIAL_TEXT.citizenWrote(h, m));
      } else {
        await toCitizen(h, 'handoff_reply', m.id, CITIZEN_TEXT.fromOfficial(await officialName(m.officialId), m.text), true);
      }
      if (h.status === 'active') await planQuiet(h);
    },
    canReachCitizenNow,
    async taken(h) {
      await toCitizen(h, 'handoff_taken', 'taken', CITIZEN_TEXT.taken(await officialName(h.officialId), localeOfTag(h.locale)), false);
      // The other notified officials learn it is in hand, so two do not answer.
      for (const id of h.notifiedIds.filter((x) => x !== h.officialId)) await toOfficial(h, id, 'handoff_taken', 'taken', OFFICIAL_TEXT.takenBy(h, await officialName(h.officialId)));
      await planQuiet(h);
    },
    async ended(h, tell) {
      if (tell.citizen) {
        const text = h.endReason === 'unanswered' && h.caseCode ? null : CITIZEN_TEXT.ended(h.endReason, localeOfTag(h.locale));
        if (text) await toCitizen(h, 'handoff_ended', 'ended', text, false);
      }
      if (tell.official) for (const id of h.officialId ? [h.officialId] : h.notifiedIds) await toOfficial(h, id, 'handoff_ended', 'ended', OFFICIAL_TEXT.endedOther(h));
    },
  };

  function notice(h: Handoff, data: { noticeId: string; kind: string; text: string }, recipient: OutgoingNotice['recipient']): OutgoingNotice {
    return { id: data.noticeId, caseId: `handoff:${h.id}`, caseCode: h.code, kind: data.kind, recipient, text: data.text, params: { code: h.code, status: data.kind, dueDate: '' } };
  }

  /** An official's words to the citizen: within what the platform allows for human replies, else pending. */
  async function sendHumanReply(h: Handoff, data: Extract<HandoffJobData, { type: 'to_citizen' }>): Promise<void> {
    const key = `${h.channel}:${h.userId}`;
    const at = now();
    const keep = async () => {
      await pending.add(h.channel, h.userId, { id: data.noticeId, caseId: `handoff:${h.id}`, caseCode: h.code, kind: data.kind, text: data.text, reason: 'window_closed', at });
      await conversations.appendTranscript(key, { direction: 'out', at, id: `notice:${data.noticeId}`, text: data.text, status: 'pending', error: 'window_closed' });
      log.info({ channel: h.channel, handoff: h.code }, 'official reply kept pending: window closed');
    };
    const route = messagingPolicyFor(h.channel).humanReplyRoute({ lastInboundAt: await conversations.lastInboundAt(h.channel, h.userId), now: at, settings });
    if (route.via === 'pending') return keep();
    const sender = senders[h.channel];
    if (!sender) throw new UnrecoverableError(`channel ${h.channel} is disabled`);
    try {
      const res = await sender.send(h.userId, { type: 'text', text: data.text }, { purpose: route.purpose });
      await conversations.appendTranscript(key, { direction: 'out', at, id: `notice:${data.noticeId}`, text: data.text, status: 'sent', ...(res.platformMessageId ? { platformMessageId: res.platformMessageId } : {}) });
    } catch (err) {
      if (!isSendError(err)) throw err;
      log.warn({ channel: h.channel, handoff: h.code, reason: err.reason, retryable: err.retryable, platformCode: err.platformCode }, 'official reply send failed');
      if (err.retryable) throw err;
      if (err.reason === 'window_closed') return keep();
      await conversations.appendTranscript(key, { direction: 'out', at, id: `notice:${data.noticeId}`, text: data.text, status: 'failed', error: err.reason });
      throw new UnrecoverableError(`official reply not sent: ${err.reason}`);
    }
  }

  async function unanswered(h: Handoff): Promise<void> {
    if (h.status !== 'waiting') return;
    // File first, then end only while still waiting: a crash in between files again on the retry
    // (a duplicate petition), never loses the request.
    const { outcome, dueText } = await deps.fileUnanswered(h);
    const ended = await handoffs.end(h.id, { reason: 'unanswered', at: now(), caseCode: outcome.case.code, onlyIf: 'waiting' });
    await deps.afterCaseChange(outcome);
    if (!ended) {
      log.warn({ handoff: h.code, case: outcome.case.code }, 'hand-off taken while its petition was filed: both stand');
      return;
    }
    await toCitizen(ended, 'handoff_unanswered', 'unanswered', CITIZEN_TEXT.unanswered(outcome.case.code, dueText, localeOfTag(ended.locale)), false);
  }

  async function quiet(h: Handoff, from: number): Promise<void> {
    // A later message planned a later job; this one is stale.
    if (h.status !== 'active' || h.lastActivityAt > from) return;
    const ended = await handoffs.end(h.id, { reason: 'quiet', at: now() });
    if (ended) await relay.ended(ended, { citizen: true, official: true });
  }

  async function run(job: Job<HandoffJobData>): Promise<void> {
    const data = job.data;
    const h = await handoffs.get(data.handoffId);
    if (!h) return;
    switch (data.type) {
      case 'to_official':
        await delivery.deliverNotice(notice(h, data, { officialId: data.officialId }));
        return;
      case 'to_citizen':
        if (data.human) await sendHumanReply(h, data);
        else await delivery.deliverNotice(notice(h, data, { channel: h.channel, userId: h.userId }));
        return;
      case 'unanswered':
        return unanswered(h);
      case 'quiet':
        return quiet(h, data.from);
    }
  }

  return {
    queue,
    relay,
    async replanOpen() {
      for (const h of await handoffs.listOpen()) {
        if (h.status === 'waiting') await planUnanswered(h);
        else await planQuiet(h);
      }
    },
    startWorker() {
      if (worker) return;
      worker = new Worker<HandoffJobData>(HANDOFF_QUEUE, run, {
        connection: new Redis(deps.redisUrl, { maxRetriesPerRequest: null }),
        prefix,
        concurrency: 1,
        settings: { backoffStrategy: (attemptsMade: number) => backoffWithJitter(attemptsMade, { baseMs: deps.backoffBaseMs ?? 1000 }) },
      });
      worker.on('failed', (job, err) => log.warn({ err: { name: err.name, message: err.message }, queue: HANDOFF_QUEUE, job: job?.data.type }, 'handoff job failed'));
      worker.on('error', (err) => log.error({ err }, 'handoff worker error'));
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
