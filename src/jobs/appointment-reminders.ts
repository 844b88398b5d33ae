/**
 * Appointment reminders ("không trễ hẹn") as BullMQ delayed jobs on the queue
 * `appointment-reminders`. Job ids are derived from the appointment, the reminder kind and the
 * start time, so planning twice is harmless and a moved appointment gets new ids; the ids planned
 * per appointment are kept in a Redis set so a re-plan or a cancel removes the old ones from any
 * process. The worker reloads the appointment and drops a reminder for one cancelled, moved or
 * past; it sends within the platform's window rules (notice-delivery), else records the reminder
 * as undeliverable for the admins. A Redis marker taken before sending keeps a reminder from going
 * out twice (a stalled job run again, a retry after a send that succeeded).
 */
import { Queue, Worker, type ConnectionOptions, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { ChannelSender } from '../channels/types';
import { deskAgendaText, reminderFields, reminderText } from '../civic/appointments/appointment-text';
import type { ReminderPlanner } from '../civic/appointments/book-appointment';
import type { DeskSettings, ReminderSetting } from '../civic/appointments/desk-settings';
import { remindersFor, type ReminderChannels } from '../civic/appointments/reminders';
import type { Calendar } from '../civic/calendar/calendar';
import { deskSessionsOn } from '../civic/calendar/desk-hours';
import { isoOfDay, localDayOf, parseClock, startOfLocalDay } from '../civic/calendar/vietnam-time';
import type { Catalogue } from '../civic/procedures/catalogue';
import type { Logger } from '../shared/logger';
import type { Appointment, AppointmentStore } from '../store/ports/appointments';
import type { ConversationStore } from '../store/ports/conversations';
import type { OfficialStore } from '../store/ports/officials';
import { createNoticeDelivery, type DeliveryResult, type NoticeDelivery, type TemplateSender } from './notice-delivery';
import { messagingPolicyFor } from '../channels/policies';
import type { PendingReason } from '../shared/messaging-policy';
import { createPendingNotices } from './pending-notices';
import { backoffWithJitter, closeWhenReady, jobIdPart } from './queues';
import { createPlannedJobs } from './planned-jobs';

export const APPOINTMENT_QUEUE = 'appointment-reminders';

export interface ReminderJobData {
  appointmentId: string;
  /** the desk.yaml reminder kind, e.g. day_before */
  kind: string;
  /** the appointment's start when planned: a moved appointment drops the job */
  start: number;
  /** when it was planned to fire (ms) */
  at: number;
}

/** The desk's daily agenda job (a job scheduler entry): sent on days the desk opens. */
export interface AgendaJobData {
  type: 'desk_agenda';
}

export type AppointmentJobData = ReminderJobData | AgendaJobData;

export const AGENDA_SCHEDULER_ID = 'desk-agenda';

export interface PlannedReminderJob {
  id: string;
  data: ReminderJobData;
  /** ms from now */
  delay: number;
}

/** Completed jobs stay 8 days: their ids keep a repeated plan from sending a reminder again. */
export const REMINDER_JOB: JobsOptions = {
  attempts: 6,
  backoff: { type: 'jitter' },
  removeOnComplete: { age: 8 * 24 * 3600, count: 1_000_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

const SENT_MARK_TTL_S = 8 * 24 * 3600;
const UNDELIVERABLE_KEEP_MS = 30 * 24 * 3600_000;


export function reminderJobId(appointmentId: string, kind: string, start: number): string {
  return `appt-${jobIdPart(appointmentId)}-${jobIdPart(kind)}-${start}`;
}

/** The reminder jobs of an appointment from now on (pure): none unless it is booked. */
export function planReminderJobs(a: Appointment, reminders: ReminderSetting[], now: number): PlannedReminderJob[] {
  if (a.status !== 'booked') return [];
  return remindersFor(a, reminders, now).map((r) => ({
    id: reminderJobId(a.id, r.kind, a.slot.start),
    data: { appointmentId: a.id, kind: r.kind, start: a.slot.start, at: r.at },
    delay: Math.max(0, r.at - now),
  }));
}

/** A reminder no platform rule allowed to send, for the admins. */
export interface UndeliverableReminder {
  jobId: string;
  appointmentId: string;
  code: string;
  kind: string;
  channel: string;
  userId: string;
  reason: PendingReason;
  /** when it was due (ms) */
  at: number;
  /** the appointment's start (ms) */
  start: number;
}

export type ReminderOutcome = { dropped: string } | { delivered: DeliveryResult } | { undeliverable: PendingReason } | { agenda: DeliveryResult[] };

export interface AppointmentReminders {
  queue: Queue<AppointmentJobData>;
  /** give it to createActionHandlers({ reminders }) */
  planner: ReminderPlanner;
  /** The ids planned for an appointment and not yet run. */
  plannedIds(appointmentId: string): Promise<string[]>;
  /** Reminders that could not be sent, latest due first (kept 30 days), for the admins. */
  undeliverable(limit?: number): Promise<UndeliverableReminder[]>;
  /**
   * Plans the desk's agenda every day at `agendaTime` (Vietnam time, whatever the server's TZ): on a
   * day the desk opens, every active official with role desk gets that day's appointments.
   * Idempotent (one job scheduler entry); needs `calendar`.
   */
  scheduleDailyAgenda(): Promise<void>;
  /** Sends the agenda of `now`'s day now (what the daily job does), once per official and day. */
  sendAgenda(): Promise<ReminderOutcome>;
  /** Starts this process's reminder worker (role worker or all). */
  startWorker(opts?: { concurrency?: number }): Worker<AppointmentJobData, ReminderOutcome>;
  /** Finishes the jobs in progress, then closes the worker and the queue (not the shared connection). */
  close(): Promise<void>;
}

export interface AppointmentReminderDeps {
  /** for the queue, the planned-id sets, the sent markers and the undeliverable list */
  redis: Redis;
  /** the worker opens its own blocking connection */
  redisUrl: string;
  prefix: string;
  appointments: AppointmentStore;
  conversations: ConversationStore;
  officials: OfficialStore;
  catalogue: Catalogue;
  desk: DeskSettings;
  senders: Partial<Record<string, ChannelSender>>;
  /** the appointment-reminder Utility template / ZNS template / billed Zalo window; default none */
  channels?: ReminderChannels;
  templates?: TemplateSender;
  log: Logger;
  /** default Date.now */
  now?: () => number;
  /** backoff base for transient send failures; default 1 s */
  backoffBaseMs?: number;
  /** the holidays and desk hours: the agenda is sent only on days the desk opens */
  calendar?: Calendar;
  /** when the agenda goes out, "HH:MM" Vietnam time; default "07:00" */
  agendaTime?: string;
}

export function createAppointmentReminders(deps: AppointmentReminderDeps): AppointmentReminders {
  const { redis, prefix, appointments, desk, catalogue, log, now = Date.now, channels = {}, templates } = deps;
  const queue = new Queue<AppointmentJobData>(APPOINTMENT_QUEUE, { connection: redis, prefix });
  queue.on('error', (err) => deps.log.warn({ err }, 'appointment reminder queue error'));
  const sentKey = (jobId: string) => `${prefix}:appt-reminder-sent:${jobId}`;
  const undeliverableKey = `${prefix}:appt-reminders-undeliverable`;
  // The reminders' own delivery: the templates named here are the appointment-reminder ones.
  const delivery: NoticeDelivery = createNoticeDelivery({
    senders: deps.senders,
    officials: deps.officials,
    conversations: deps.conversations,
    pending: createPendingNotices(redis, prefix),
    settings: channels,
    ...(templates ? { templates } : {}),
    log,
    now,
  });
  // The desk agenda is no reminder: the reminder templates (procedure, date, time, place) do not fit
  // it, so it goes only as a message, and waits for the official's next one otherwise.
  const agendaDelivery: NoticeDelivery = createNoticeDelivery({
    senders: deps.senders,
    officials: deps.officials,
    conversations: deps.conversations,
    pending: createPendingNotices(redis, prefix),
    settings: channels.zaloBilledWindow ? { zaloBilledWindow: true } : {},
    log,
    now,
  });
  let worker: Worker<AppointmentJobData, ReminderOutcome> | null = null;
  let workerConnection: Redis | null = null;

  const planned = createPlannedJobs<AppointmentJobData>({ redis, queue, keyOf: (id) => `${prefix}:appt-reminders:${id}`, jobOptions: REMINDER_JOB });
  const planner: ReminderPlanner = {
    plan: (a) => planned.replan(a.id, planReminderJobs(a, desk.reminders, now()).map((j) => ({ id: j.id, name: j.data.kind, data: j.data, delay: j.delay }))),
    remove: (a) => planned.removeAll(a.id),
  };

  async function recordUndeliverable(jobId: string, a: Appointment, d: ReminderJobData, reason: PendingReason): Promise<void> {
    const entry: UndeliverableReminder = { jobId, appointmentId: a.id, code: a.code, kind: d.kind, channel: a.channel, userId: a.userId, reason, at: d.at, start: a.slot.start };
    await redis.multi().zadd(undeliverableKey, d.at, JSON.stringify(entry)).zremrangebyscore(undeliverableKey, '-inf', now() - UNDELIVERABLE_KEEP_MS).exec();
    log.warn({ appointment: a.code, kind: d.kind, channel: a.channel, reason }, 'appointment reminder cannot be sent: recorded for the admins');
  }

  async function deliver(jobId: string, a: Appointment, d: ReminderJobData): Promise<ReminderOutcome> {
    const locale = a.locale === 'en' ? 'en' : 'vi';
    const lastInboundAt = await deps.conversations.lastInboundAt(a.channel, a.userId);
    const route = messagingPolicyFor(a.channel).noticeRoute({ lastInboundAt, now: now(), settings: channels, canSendTemplates: templates !== undefined, ...(a.phone ? { phone: a.phone } : {}) });
    if (route.via === 'pending') {
      // Not kept for the person's next message: a reminder read after the appointment would mislead.
      await recordUndeliverable(jobId, a, d, route.reason);
      return { undeliverable: route.reason };
    }
    const result = await delivery.deliverNotice({
      id: jobId,
      caseId: a.id,
      caseCode: a.code,
      kind: `appointment_${d.kind}`,
      recipient: { channel: a.channel, userId: a.userId, ...(a.phone ? { phone: a.phone } : {}) },
      text: reminderText(a, catalogue, desk, locale),
      params: reminderFields(a, catalogue, desk),
    });
    return { delivered: result };
  }

  async function sendAgenda(): Promise<ReminderOutcome> {
    const t = now();
    const day = localDayOf(t);
    if (!deps.calendar) return { dropped: 'no_calendar' };
    if (deskSessionsOn(deps.calendar, day).length === 0) return { dropped: 'desk_closed' };
    const booked = (await appointments.listByDay(isoOfDay(day))).filter((a) => a.status === 'booked');
    const text = deskAgendaText(startOfLocalDay(day), booked, catalogue);
    const desk = (await deps.officials.list()).filter((o) => o.role === 'desk' && o.active);
    if (desk.length === 0) log.warn({ day: isoOfDay(day) }, 'no active desk official: the agenda goes to nobody');
    const results: DeliveryResult[] = [];
    for (const o of desk) {
      const id = `agenda-${isoOfDay(day)}-${jobIdPart(o.id)}`;
      if ((await redis.set(sentKey(id), String(t), 'EX', SENT_MARK_TTL_S, 'NX')) !== 'OK') continue;
      try {
        const params = { code: isoOfDay(day), status: 'Lịch hẹn hôm nay', dueDate: `${booked.length}` };
        results.push(await agendaDelivery.deliverNotice({ id, caseId: `agenda-${isoOfDay(day)}`, caseCode: isoOfDay(day), kind: 'desk_agenda', recipient: { officialId: o.id }, text, params }));
      } catch (e) {
        if ((e as { name?: unknown }).name !== 'UnrecoverableError') await redis.del(sentKey(id));
        throw e;
      }
    }
    return { agenda: results };
  }

  async function run(job: Job<AppointmentJobData>): Promise<ReminderOutcome> {
    if ('type' in job.data) return sendAgenda();
    const d = job.data;
    const jobId = job.id ?? reminderJobId(d.appointmentId, d.kind, d.start);
    const a = await appointments.get(d.appointmentId);
    let outcome: ReminderOutcome;
    if (!a) outcome = { dropped: 'no_such_appointment' };
    else if (a.status !== 'booked') outcome = { dropped: a.status };
    else if (a.slot.start !== d.start) outcome = { dropped: 'rescheduled' };
    else if (now() >= a.slot.start) outcome = { dropped: 'past' };
    else if ((await redis.set(sentKey(jobId), String(now()), 'EX', SENT_MARK_TTL_S, 'NX')) !== 'OK') outcome = { dropped: 'already_sent' };
    else {
      try {
        outcome = await deliver(jobId, a, d);
      } catch (e) {
        // A transient failure is retried, so it must not count as sent; a final one stays marked.
        if ((e as { name?: unknown }).name !== 'UnrecoverableError') await redis.del(sentKey(jobId));
        throw e;
      }
    }
    await planned.forget(d.appointmentId, jobId);
    if ('dropped' in outcome) log.info({ appointmentId: d.appointmentId, kind: d.kind, reason: outcome.dropped }, 'appointment reminder dropped');
    return outcome;
  }

  return {
    queue,
    planner,
    plannedIds: (appointmentId) => planned.ids(appointmentId),
    async scheduleDailyAgenda() {
      const minute = parseClock(deps.agendaTime ?? '07:00');
      if (minute === undefined) throw new Error(`agendaTime must be HH:MM, not "${deps.agendaTime}"`);
      await queue.upsertJobScheduler(
        AGENDA_SCHEDULER_ID,
        { pattern: `${minute % 60} ${Math.floor(minute / 60)} * * *`, tz: 'Asia/Ho_Chi_Minh' },
        { name: 'desk_agenda', data: { type: 'desk_agenda' }, opts: { attempts: REMINDER_JOB.attempts, backoff: REMINDER_JOB.backoff, removeOnComplete: { age: 30 * 24 * 3600 }, removeOnFail: { age: 30 * 24 * 3600 } } },
      );
    },
    sendAgenda,
    async undeliverable(limit = 200) {
      return (await redis.zrevrange(undeliverableKey, 0, limit - 1)).map((s) => JSON.parse(s) as UndeliverableReminder);
    },
    startWorker({ concurrency = 16 } = {}) {
      if (worker) return worker;
      workerConnection = new Redis(deps.redisUrl, { maxRetriesPerRequest: null });
      const connection: ConnectionOptions = workerConnection;
      const backoffBaseMs = deps.backoffBaseMs ?? 1000;
      worker = new Worker<AppointmentJobData, ReminderOutcome>(APPOINTMENT_QUEUE, run, {
        connection,
        prefix,
        concurrency,
        settings: { backoffStrategy: (attemptsMade: number) => backoffWithJitter(attemptsMade, { baseMs: backoffBaseMs }) },
      });
      worker.on('failed', (job, err) => log.warn({ err: { name: err.name, message: err.message }, queue: APPOINTMENT_QUEUE, job: job?.name }, 'appointment job failed'));
      worker.on('error', (err) => log.error({ err }, 'appointment reminder worker error'));
      return worker;
    },
    async close() {
      if (worker) {
        // A worker closed while still connecting would leave its blocking connection open.
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
