/**
 * Result dates (hẹn trả kết quả) as BullMQ jobs on the queue `result-dates`: the citizen is told at
 * once when a day is recorded, moved (with an apology) or the result is ready; reminded before the
 * day (desk.yaml resultDates.citizenReminders); and the answerable official is asked on the working
 * day before whether it will be ready. Job ids come from the appointment, the kind and the result
 * day, so planning twice is harmless and a moved day gets new ids; the planned ids are kept per
 * appointment in a Redis set, so a move or "ready" removes the old ones from any process. The worker
 * reloads the appointment and drops a job that no longer applies. Everything goes through the notice
 * delivery (invariant 9): outside the window a notice waits as pending for the person's next message.
 */
import { Queue, Worker, type ConnectionOptions, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { ChannelSender } from '../channels/types';
import type { DeskSettings, ResultDateSettings } from '../civic/appointments/desk-settings';
import { formatResultDay, resultCheckText, resultMovedText, resultPromisedText, resultReadyText, resultReminderText, localeOf } from '../civic/appointments/result-date-text';
import type { ResultDateNotifier } from '../civic/appointments/result-dates';
import type { Calendar } from '../civic/calendar/calendar';
import { stepWorkingDay } from '../civic/calendar/working-days';
import { atLocalMinute, parseClock, parseIsoDay } from '../civic/calendar/vietnam-time';
import type { Catalogue } from '../civic/procedures/catalogue';
import type { Logger } from '../shared/logger';
import type { Appointment, AppointmentStore, ResultDateChange } from '../store/ports/appointments';
import type { ConversationStore } from '../store/ports/conversations';
import type { OfficialStore } from '../store/ports/officials';
import { createNoticeDelivery, type DeliveryResult, type NoticeDelivery, type NoticeRecipient, type TemplateSender } from './notice-delivery';
import { messagingPolicyFor } from '../channels/policies';
import type { NoticeSettings } from '../shared/messaging-policy';
import { createPendingNotices } from './pending-notices';
import { backoffWithJitter, closeWhenReady, jobIdPart } from './queues';
import { createPlannedJobs } from './planned-jobs';

export const RESULT_DATE_QUEUE = 'result-dates';

/** `told`, `moved`, `ready`: at once, to the citizen; `check`: to the official; `remind_<kind>`: to the citizen. */
export interface ResultJobData {
  appointmentId: string;
  kind: string;
  /** the result day the job was planned for: a job of another day is dropped */
  day: string;
  /** moved: the day before the move */
  from?: string;
  /** remind_*: calendar days before the result day */
  daysBefore?: number;
  /** when it was planned to fire (ms) */
  at: number;
}

export interface PlannedResultJob {
  id: string;
  data: ResultJobData;
  /** ms from now */
  delay: number;
}

/** Completed jobs stay 8 days: their ids keep a repeated plan from sending again. */
export const RESULT_JOB: JobsOptions = {
  attempts: 6,
  backoff: { type: 'jitter' },
  removeOnComplete: { age: 8 * 24 * 3600, count: 1_000_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

const SENT_MARK_TTL_S = 8 * 24 * 3600;

export function resultJobId(appointmentId: string, kind: string, day: string): string {
  return `result-${jobIdPart(appointmentId)}-${jobIdPart(kind)}-${day}`;
}

/**
 * The timed jobs of a promised result from `now` on (pure): the citizen's reminders and the
 * official's check the working day before. None once it is ready, or for a cancelled appointment.
 */
export function planResultJobs(a: Appointment, settings: ResultDateSettings, calendar: Calendar, now: number): PlannedResultJob[] {
  const r = a.result;
  const day = r ? parseIsoDay(r.day) : undefined;
  if (!r || r.status !== 'promised' || a.status === 'cancelled' || day === undefined) return [];
  const out: PlannedResultJob[] = [];
  const add = (kind: string, at: number, extra: Partial<ResultJobData> = {}) => {
    if (at > now) out.push({ id: resultJobId(a.id, kind, r.day), data: { appointmentId: a.id, kind, day: r.day, at, ...extra }, delay: at - now });
  };
  for (const c of settings.citizenReminders) add(`remind_${c.kind}`, atLocalMinute(day - c.daysBefore, parseClock(c.at) ?? 0), { daysBefore: c.daysBefore });
  add('check', atLocalMinute(stepWorkingDay(calendar, day, -1), parseClock(settings.officialCheckAt) ?? 0));
  return out.sort((x, y) => x.data.at - y.data.at);
}

export type ResultJobOutcome = { dropped: string } | { delivered: DeliveryResult };

export interface ResultDateJobs {
  queue: Queue<ResultJobData>;
  /** give it to the result-date use cases (chat commands, admin API) */
  notifier: ResultDateNotifier;
  /** (Re)plans the timed jobs of this appointment's result date; removes the ones no longer wanted. */
  plan(a: Appointment): Promise<void>;
  /** The timed job ids planned for an appointment and not yet run. */
  plannedIds(appointmentId: string): Promise<string[]>;
  /** Re-plans every promised result (at start: anything whose planning failed gets its jobs). */
  replanAll(): Promise<void>;
  startWorker(opts?: { concurrency?: number }): Worker<ResultJobData, ResultJobOutcome>;
  /** Finishes the jobs in progress, then closes the worker and the queue (not the shared connection). */
  close(): Promise<void>;
}

export interface ResultDateJobDeps {
  redis: Redis;
  redisUrl: string;
  prefix: string;
  appointments: AppointmentStore;
  conversations: ConversationStore;
  officials: OfficialStore;
  catalogue: Catalogue;
  desk: DeskSettings;
  calendar: Calendar;
  senders: Partial<Record<string, ChannelSender>>;
  /** templates outside the window (a Utility / ZNS template for status updates); default none */
  settings?: NoticeSettings;
  templates?: TemplateSender;
  log: Logger;
  /** default Date.now */
  now?: () => number;
  /** backoff base for transient send failures; default 1 s */
  backoffBaseMs?: number;
}

export function createResultDateJobs(deps: ResultDateJobDeps): ResultDateJobs {
  const { redis, prefix, appointments, calendar, catalogue, desk, log, now = Date.now } = deps;
  const queue = new Queue<ResultJobData>(RESULT_DATE_QUEUE, { connection: redis, prefix });
  queue.on('error', (err) => log.warn({ err }, 'result date queue error'));
  const sentKey = (jobId: string) => `${prefix}:result-sent:${jobId}`;
  const delivery: NoticeDelivery = createNoticeDelivery({
    senders: deps.senders,
    officials: deps.officials,
    conversations: deps.conversations,
    pending: createPendingNotices(redis, prefix),
    settings: deps.settings ?? {},
    ...(deps.templates ? { templates: deps.templates } : {}),
    log,
    now,
  });
  let worker: Worker<ResultJobData, ResultJobOutcome> | null = null;
  let workerConnection: Redis | null = null;

  const planned = createPlannedJobs<ResultJobData>({ redis, queue, keyOf: (id) => `${prefix}:result-jobs:${id}`, jobOptions: RESULT_JOB });
  async function plan(a: Appointment): Promise<void> {
    // Read at each planning: a published desk.yaml changes the reminder times of later plans.
    const wanted = planResultJobs(a, desk.resultDates, calendar, now());
    await planned.replan(a.id, wanted.map((j) => ({ id: j.id, name: j.data.kind, data: j.data, delay: j.delay })));
  }

  const notifier: ResultDateNotifier = {
    async afterChange(a, change: ResultDateChange) {
      const r = a.result;
      if (r && change.what !== 'confirmed') {
        const kind = change.what === 'set' ? 'told' : change.what;
        const data: ResultJobData = { appointmentId: a.id, kind, day: r.day, at: now(), ...(change.from ? { from: change.from } : {}) };
        await queue.add(kind, data, { ...RESULT_JOB, jobId: resultJobId(a.id, kind, r.day) });
      }
      await plan(a);
    },
  };

  /** Whether a message to the citizen could go out now, or would wait for their next message. */
  async function reachesNow(a: Appointment): Promise<boolean> {
    const lastInboundAt = await deps.conversations.lastInboundAt(a.channel, a.userId);
    const route = messagingPolicyFor(a.channel).noticeRoute({ lastInboundAt, now: now(), settings: deps.settings ?? {}, canSendTemplates: deps.templates !== undefined, ...(a.phone ? { phone: a.phone } : {}) });
    return route.via !== 'pending';
  }

  /** What to send for this job, to whom; a string (why) when it no longer applies. */
  async function notice(a: Appointment, d: ResultJobData): Promise<{ text: string; recipient: NoticeRecipient; status: string } | string> {
    const r = a.result;
    if (!r) return 'no_result';
    const citizen: NoticeRecipient = { channel: a.channel, userId: a.userId, ...(a.phone ? { phone: a.phone } : {}) };
    const en = localeOf(a) === 'en';
    if (d.kind === 'ready') return r.status === 'ready' ? { text: resultReadyText(a, { catalogue, desk }), recipient: citizen, status: en ? 'Result ready' : 'Đã có kết quả' } : 'not_ready';
    if (r.status !== 'promised') return 'ready';
    if (r.day !== d.day) return 'day_moved';
    switch (d.kind) {
      case 'told':
        return { text: resultPromisedText(a, r.day, { catalogue, desk }), recipient: citizen, status: en ? 'Result date set' : 'Hẹn trả kết quả' };
      case 'moved': {
        const move = [...r.history].reverse().find((h) => h.what === 'moved' && h.to === d.day);
        return { text: resultMovedText(a, d.from ?? move?.from ?? r.day, d.day, move?.reason), recipient: citizen, status: en ? 'New result date' : 'Hẹn lại ngày trả kết quả' };
      }
      case 'check': {
        // Already confirmed for this day (DUNGHEN before the check): no need to ask.
        const since = r.history.map((h) => h.what).lastIndexOf(r.moves > 0 ? 'moved' : 'set');
        if (r.history.slice(since + 1).some((h) => h.what === 'confirmed')) return 'already_confirmed';
        return { text: resultCheckText(a, r.day, catalogue), recipient: { officialId: r.officialId }, status: 'Xác nhận hẹn trả kết quả' };
      }
      default:
        if (!d.kind.startsWith('remind_')) return 'unknown_kind';
        // A reminder that has to wait may be read after the day: it then names the date, not "tomorrow".
        return { text: resultReminderText(a, r.day, d.daysBefore ?? 1, { catalogue, desk }, await reachesNow(a)), recipient: citizen, status: en ? 'Result date reminder' : 'Nhắc hẹn trả kết quả' };
    }
  }

  async function run(job: Job<ResultJobData>): Promise<ResultJobOutcome> {
    const d = job.data;
    const jobId = job.id ?? resultJobId(d.appointmentId, d.kind, d.day);
    const a = await appointments.get(d.appointmentId);
    let outcome: ResultJobOutcome;
    const what = !a ? 'no_such_appointment' : a.status === 'cancelled' ? 'cancelled' : await notice(a, d);
    if (typeof what === 'string' || !a) outcome = { dropped: typeof what === 'string' ? what : 'no_such_appointment' };
    else if ((await redis.set(sentKey(jobId), String(now()), 'EX', SENT_MARK_TTL_S, 'NX')) !== 'OK') outcome = { dropped: 'already_sent' };
    else {
      try {
        const result = await delivery.deliverNotice({
          id: jobId,
          caseId: a.id,
          caseCode: a.code,
          kind: `result_${d.kind}`,
          recipient: what.recipient,
          text: what.text,
          params: { code: a.code, status: what.status, dueDate: formatResultDay(a.result?.day ?? d.day) },
        });
        outcome = { delivered: result };
      } catch (e) {
        // A transient failure is retried, so it must not count as sent; a final one stays marked.
        if ((e as { name?: unknown }).name !== 'UnrecoverableError') await redis.del(sentKey(jobId));
        throw e;
      }
    }
    await planned.forget(d.appointmentId, jobId);
    if ('dropped' in outcome) log.info({ appointmentId: d.appointmentId, kind: d.kind, reason: outcome.dropped }, 'result date job dropped');
    return outcome;
  }

  return {
    queue,
    notifier,
    plan,
    plannedIds: (appointmentId) => planned.ids(appointmentId),
    async replanAll() {
      for (const a of await appointments.listPromisedResults()) {
        // A change stored while Redis refused its notice: the notice goes now (ids and the sent
        // marker keep one already sent from going twice; older than the marker is left alone).
        const last = a.result?.history[a.result.history.length - 1];
        if (last && (last.what === 'set' || last.what === 'moved') && now() - last.at < SENT_MARK_TTL_S * 1000 - 3600_000) await notifier.afterChange(a, last);
        else await plan(a);
      }
    },
    startWorker({ concurrency = 8 } = {}) {
      if (worker) return worker;
      workerConnection = new Redis(deps.redisUrl, { maxRetriesPerRequest: null });
      const connection: ConnectionOptions = workerConnection;
      const backoffBaseMs = deps.backoffBaseMs ?? 1000;
      worker = new Worker<ResultJobData, ResultJobOutcome>(RESULT_DATE_QUEUE, run, {
        connection,
        prefix,
        concurrency,
        settings: { backoffStrategy: (attemptsMade: number) => backoffWithJitter(attemptsMade, { baseMs: backoffBaseMs }) },
      });
      worker.on('failed', (job, err) => log.warn({ err: { name: err.name, message: err.message }, queue: RESULT_DATE_QUEUE, job: job?.name }, 'result date job failed'));
      worker.on('error', (err) => log.error({ err }, 'result date worker error'));
      return worker;
    },
    async close() {
      if (worker) {
        await worker.waitUntilReady().catch(() => undefined);
        await closeWhenReady(worker);
        await workerConnection?.quit().catch(() => undefined);
        worker = null;
        workerConnection = null;
      }
      await closeWhenReady(queue);
    },
  };
}
