/**
 * The commune's job families, built from the settings and the process's adapters: case deadlines,
 * hand-offs to an official, appointment reminders and the desk agenda, result dates; and what the
 * message path asks before the flows (jobs/staff-chat.ts).
 * Part of the composition root (main.ts): it chooses nothing itself, it wires what it is given.
 */
import type { Redis } from 'ioredis';
import type { ChannelSender, TemplateSender } from './channels/types';
import type { ReminderChannels } from './civic/appointments/reminders';
import { createHandoffService, type HandoffService } from './civic/handoff/handoff-service';
import { fileUnansweredHandoff } from './civic/handoff/unanswered-case';
import type { OfficialChatDeps } from './civic/officials/chat-commands';
import type { CommuneData } from './commune-data';
import { liveView } from './commune-data-in-use';
import type { Config, NoticeTemplateConfig } from './config';
import { NOTHING_BEFORE_FLOWS, type BeforeFlows } from './jobs/before-flows';
import { createAppointmentReminders, type AppointmentReminders } from './jobs/appointment-reminders';
import { createCaseJobs, type CaseJobs } from './jobs/case-jobs';
import { createHandoffJobs, type HandoffJobs } from './jobs/handoff-jobs';
import { createNoticeDelivery } from './jobs/notice-delivery';
import type { NoticeSettings } from './shared/messaging-policy';
import { createStaffChat } from './jobs/staff-chat';
import { createResultDateJobs, type ResultDateJobs } from './jobs/result-date-jobs';
import { systemClock } from './shared/clock';
import type { Logger } from './shared/logger';
import type { Stores } from './store/ports';

/**
 * The settings for notices outside the free windows, split by purpose: case updates and appointment
 * reminders each have their own templates; the billed Zalo window serves both.
 */
export function noticeChannelsOf(n: NoticeTemplateConfig): { cases: NoticeSettings; reminders: ReminderChannels } {
  const zaloBilledWindow = n.zaloBilledWindow;
  return {
    cases: { zaloBilledWindow, ...(n.messengerCaseTemplate ? { messengerUtilityTemplate: n.messengerCaseTemplate } : {}), ...(n.znsCaseTemplate ? { zaloZnsTemplateId: n.znsCaseTemplate } : {}) },
    reminders: { zaloBilledWindow, ...(n.messengerReminderTemplate ? { messengerUtilityTemplate: n.messengerReminderTemplate } : {}), ...(n.znsReminderTemplate ? { zaloZnsTemplateId: n.znsReminderTemplate } : {}) },
  };
}

/** A job queue, as the queue board shows it. */
export type JobQueue = CaseJobs['queue'];

export interface CivicJobs {
  caseJobs: CaseJobs | null;
  handoffJobs: HandoffJobs | null;
  handoffService: HandoffService | null;
  appointmentReminders: AppointmentReminders | null;
  resultDateJobs: ResultDateJobs | null;
  /** what the officials' result-date commands and the appointments API need; undefined without the desk */
  resultDates: OfficialChatDeps['resultDates'];
  /** what a turn asks before the flows: officials' commands, hand-off relays, waiting notices, Page Inbox replies */
  beforeFlows: BeforeFlows;
  /** every queue of these families, for the queue board */
  queues(): JobQueue[];
  /** Starts this process's workers and re-plans what is open (idempotent job ids). */
  startWorkers(): void;
  close(): Promise<void>;
}

export function createCivicJobs(deps: {
  config: Readonly<Pick<Config, 'redisUrl' | 'queuePrefix' | 'handoff' | 'notices'>>;
  stores: Stores;
  /** live views of the commune data (a publish reaches them) */
  data: Pick<CommuneData, 'catalogue' | 'cases' | 'desk'>;
  redis: Redis;
  senders: Partial<Record<string, ChannelSender>>;
  templates: TemplateSender;
  log: Logger;
}): CivicJobs {
  const { config, stores, redis, senders, templates, log } = deps;
  const { catalogue, cases: caseData, desk } = deps.data;
  const noticeChannels = noticeChannelsOf(config.notices);
  const common = { redis, redisUrl: config.redisUrl, prefix: config.queuePrefix, officials: stores.officials, conversations: stores.conversations, senders, log };

  // Case deadlines: notify the assignee, remind, escalate; notices to closed windows wait as pending.
  const caseJobs = caseData ? createCaseJobs({ ...common, calendar: caseData.calendar, cases: stores.cases, settings: noticeChannels.cases, templates }) : null;

  // Hand-offs to an official ("gặp cán bộ"): relays, the quiet-time end and the take-within fallback.
  const handoffJobs: HandoffJobs | null =
    caseData && caseJobs
      ? createHandoffJobs({
          ...common,
          handoffs: stores.handoffs,
          // The bot's notes about a live conversation are no case update: never sent as a template.
          delivery: createNoticeDelivery({ senders, officials: stores.officials, conversations: stores.conversations, pending: caseJobs.pending, settings: { zaloBilledWindow: config.notices.zaloBilledWindow }, log }),
          pending: caseJobs.pending,
          calendar: caseData.calendar,
          fileUnanswered: (h) => fileUnansweredHandoff({ cases: stores.cases, officials: stores.officials, routing: caseData.routing, calendar: caseData.calendar, now: systemClock.now }, h),
          afterCaseChange: (outcome) => caseJobs.afterCaseChange(outcome),
          settings: config.handoff,
        })
      : null;
  const handoffService: HandoffService | null =
    caseData && handoffJobs
      ? createHandoffService({
          handoffs: stores.handoffs,
          officials: stores.officials,
          routing: caseData.routing,
          calendar: caseData.calendar,
          recentLines: async (channel, userId) =>
            (await stores.conversations.transcript(`${channel}:${userId}`, 12)).map((e) => `${e.direction === 'in' ? 'Dân' : 'Bot'}: ${e.text}`),
          relay: handoffJobs.relay,
          now: systemClock.now,
        })
      : null;

  // Appointment reminders (the day before, two hours before) and the desk's daily agenda.
  const appointmentReminders: AppointmentReminders | null =
    caseData && desk
      ? createAppointmentReminders({ ...common, appointments: stores.appointments, catalogue, desk, calendar: caseData.calendar, channels: noticeChannels.reminders, templates })
      : null;
  // Result dates (hẹn trả kết quả) of dossiers received at the desk: the citizen told and reminded, the official asked.
  const resultDateJobs: ResultDateJobs | null =
    caseData && desk
      ? createResultDateJobs({
          ...common,
          appointments: stores.appointments,
          catalogue,
          desk,
          calendar: caseData.calendar,
          // A result date is an application status update: the case-update template fits it.
          settings: noticeChannels.cases,
          templates,
        })
      : null;
  const resultDates =
    caseData && desk && resultDateJobs
      ? { appointments: stores.appointments, calendar: caseData.calendar, settings: liveView(() => desk.resultDates), notifier: resultDateJobs.notifier, now: systemClock.now }
      : undefined;

  // Officials act from their own chat, then a citizen with an open hand-off talks to the official,
  // before the flows see the message (jobs/staff-chat.ts).
  const beforeFlows = caseJobs ? createStaffChat({ stores, caseJobs, handoffService, resultDates, now: systemClock.now, log }) : NOTHING_BEFORE_FLOWS;

  return {
    caseJobs,
    handoffJobs,
    handoffService,
    appointmentReminders,
    resultDateJobs,
    resultDates,
    beforeFlows,
    queues: () => [caseJobs?.queue, appointmentReminders?.queue, resultDateJobs?.queue, handoffJobs?.queue].filter((q): q is JobQueue => q !== undefined),
    startWorkers() {
      if (caseJobs) {
        caseJobs.startWorker();
        // Planning is idempotent (job ids): re-plan every open case, so nothing filed while a
        // planning step failed is left without its reminders.
        void replanOpenCases(stores, caseJobs).catch((err: unknown) => log.error({ err }, 're-planning open cases failed'));
      }
      if (handoffJobs) {
        handoffJobs.startWorker();
        void handoffJobs.replanOpen().catch((err: unknown) => log.error({ err }, 're-planning open hand-offs failed'));
      }
      if (appointmentReminders) {
        appointmentReminders.startWorker();
        void appointmentReminders.scheduleDailyAgenda().catch((err: unknown) => log.error({ err }, 'scheduling the desk agenda failed'));
      }
      if (resultDateJobs) {
        resultDateJobs.startWorker();
        void resultDateJobs.replanAll().catch((err: unknown) => log.error({ err }, 're-planning result dates failed'));
      }
    },
    async close() {
      await handoffJobs?.close();
      await caseJobs?.close();
      await appointmentReminders?.close();
      await resultDateJobs?.close();
    },
  };
}

async function replanOpenCases(stores: Stores, caseJobs: CaseJobs): Promise<void> {
  let after: string | undefined;
  do {
    const page = await stores.cases.list({ status: ['received', 'assigned', 'in_progress', 'transferred'], limit: 500, ...(after ? { after } : {}) });
    for (const c of page.cases) await caseJobs.scheduler.planCase(c);
    after = page.next;
  } while (after);
}
