/**
 * The appointment actions the booking flow calls: `appointment.days`, `appointment.slots`,
 * `appointment.book`, `appointment.mine`, `appointment.cancel`, `appointment.reschedule`. They map
 * the flow's arguments onto civic/appointments and answer with a result the flow can branch on.
 */
import { z } from 'zod';
import type { Appointment, AppointmentStore } from '../store/ports/appointments';
import { localeOf, refuse, type ActionContext, type ActionHandler, type ActionResult } from './action-kit';
import type { Calendar } from './calendar/calendar';
import { formatVietnameseDate, formatVietnameseTime } from './calendar/format-date';
import { confirmationText, formatShortSlot, formatSlot } from './appointments/appointment-text';
import {
  bookAppointment,
  cancelAppointment,
  deskTakes,
  openDays,
  openSlots,
  rescheduleAppointment,
  upcomingAppointments,
  type AppointmentDeps,
  type ReminderPlanner,
} from './appointments/book-appointment';
import { DEFAULT_DESK_SETTINGS, type DeskSettings } from './appointments/desk-settings';
import type { ReminderChannels } from './appointments/reminders';
import type { MessagingPolicies } from '../shared/messaging-policy';
import { parseIsoDay, startOfLocalDay } from './calendar/vietnam-time';
import type { Catalogue } from './procedures/catalogue';

export interface AppointmentActionDeps {
  appointments: AppointmentStore;
  calendar: Calendar;
  catalogue: Catalogue;
  /** flows/data/desk.yaml; default DEFAULT_DESK_SETTINGS */
  desk?: DeskSettings;
  /** plans the reminder jobs; without it no reminder is planned (the confirmation still says which would be sent) */
  reminders?: ReminderPlanner;
  /** templates and billed messages the commune allows outside the free windows; default none */
  reminderChannels?: ReminderChannels;
  /** what each platform lets the commune send when (channels/<platform>/policy.ts, wired by main) */
  messaging: MessagingPolicies;
}

/** Result codes of the appointment actions, beside the refusals of civic/appointments (SLOT_FULL…). */
export const APPOINTMENT_ACTION_CODES = { invalidArguments: 'INVALID_ARGUMENTS' } as const;

// The flow passes "" for a variable it does not have ("{{procedure_id}}" before a procedure was chosen).
const optional = z
  .string()
  .nullish()
  .transform((s) => (s ? s : undefined));

const bookArgs = z.object({
  slot: z.string().min(1),
  procedure_id: optional,
  service: optional,
  name: z.string().min(1),
  phone: optional,
  locale: optional,
});

function invalid(error: z.ZodError): ActionResult {
  return refuse(APPOINTMENT_ACTION_CODES.invalidArguments, { fields: error.issues.map((i) => i.path.join('.')) });
}

function asker(ctx: ActionContext) {
  return { channel: ctx.channel, userId: ctx.userId };
}

/**
 * The choices of "hủy lịch" / "đổi lịch": the title is the day and time ("T2 09/03 7h30"), which a
 * Messenger quick reply shows whole (20 characters); two at the same time add the end of their code.
 * `long` and the result's `text` hold the full form ("LH-0309-4K7P: 7h30-8h30, Thứ Hai, 09/03/2026")
 * for the question that lists them.
 */
function mineItems(mine: readonly Appointment[]): { id: string; code: string; title: string; long: string }[] {
  const titles = mine.map(formatShortSlot);
  return mine.map((a, i) => {
    const title = titles[i] as string;
    const twin = titles.some((t, j) => j !== i && t === title);
    return { id: a.id, code: a.code, title: twin ? `${title} ${a.code.slice(-4)}` : title, long: `${a.code}: ${formatSlot(a)}` };
  });
}

/** The handlers of the appointment actions over the appointment store and the desk's calendar. */
export function appointmentHandlers(deps: AppointmentActionDeps): Record<string, ActionHandler> {
  const { catalogue, desk = DEFAULT_DESK_SETTINGS, reminderChannels = {}, messaging } = deps;
  const use: AppointmentDeps = { appointments: deps.appointments, calendar: deps.calendar, desk, ...(deps.reminders ? { reminders: deps.reminders } : {}) };

  return {
    'appointment.days': async (args, ctx) => {
      const procedureId = optional.parse(typeof args.procedure_id === 'string' ? args.procedure_id : undefined);
      if (!deskTakes(desk, procedureId)) return refuse('NOT_AT_DESK');
      const days = await openDays(use, ctx.now);
      const items = days.map((d) => ({ id: d.date, title: formatVietnameseDate(startOfLocalDay(parseIsoDay(d.date) as number)) }));
      return { ok: true, data: { items } };
    },
    'appointment.slots': async (args, ctx) => {
      if (typeof args.date !== 'string') return refuse(APPOINTMENT_ACTION_CODES.invalidArguments, { expected: 'date: yyyy-mm-dd' });
      const slots = await openSlots(use, args.date, ctx.now);
      const items = slots.map((s) => ({
        id: s.key,
        // Only slots with room are offered; the title stays short (Messenger cuts quick replies at
        // 20 characters) and reads well again in the confirmation ("lúc 10h30-11h30").
        title: `${formatVietnameseTime(s.start)}-${formatVietnameseTime(s.end)}`,
        free: s.free,
      }));
      return { ok: true, data: { items } };
    },
    'appointment.book': async (raw, ctx) => {
      const parsed = bookArgs.safeParse(raw);
      if (!parsed.success) return invalid(parsed.error);
      const args = parsed.data;
      const locale = localeOf(args.locale, ctx);
      const outcome = await bookAppointment(
        use,
        {
          slotKey: args.slot,
          ...(args.procedure_id ? { procedureId: args.procedure_id } : {}),
          ...(args.service ? { service: args.service } : {}),
          name: args.name,
          ...(args.phone ? { phone: args.phone } : {}),
          channel: ctx.channel,
          userId: ctx.userId,
          locale,
        },
        ctx.now,
      );
      if (!outcome.ok) return refuse(outcome.code);
      const a = outcome.appointment;
      return { ok: true, data: { id: a.id, code: a.code, when: formatSlot(a), confirmation: confirmationText({ appointment: a, catalogue, desk, channels: reminderChannels, policy: messaging(a.channel), now: ctx.now, locale }) } };
    },
    'appointment.mine': async (_args, ctx) => {
      const mine = await upcomingAppointments(use, asker(ctx), ctx.now);
      return { ok: true, data: { items: mineItems(mine), text: mine.map((a, i) => `${i + 1}. ${a.code}: ${formatSlot(a)}`).join('\n') } };
    },
    'appointment.cancel': async (args, ctx) => {
      if (typeof args.id !== 'string') return refuse(APPOINTMENT_ACTION_CODES.invalidArguments, { expected: 'id: string' });
      const outcome = await cancelAppointment(use, { id: args.id, asker: asker(ctx) }, ctx.now);
      if (!outcome.ok) return refuse(outcome.code);
      return { ok: true, data: { code: outcome.appointment.code, when: formatSlot(outcome.appointment) } };
    },
    'appointment.reschedule': async (args, ctx) => {
      if (typeof args.id !== 'string' || typeof args.slot !== 'string') return refuse(APPOINTMENT_ACTION_CODES.invalidArguments, { expected: 'id: string, slot: string' });
      const locale = localeOf(args.locale, ctx);
      const outcome = await rescheduleAppointment(use, { id: args.id, slotKey: args.slot, asker: asker(ctx) }, ctx.now);
      if (!outcome.ok) return refuse(outcome.code);
      const a = outcome.appointment;
      return { ok: true, data: { id: a.id, code: a.code, when: formatSlot(a), confirmation: confirmationText({ appointment: a, catalogue, desk, channels: reminderChannels, policy: messaging(a.channel), now: ctx.now, locale, moved: true }) } };
    },
  };
}

/** Every appointment action name: they answer SERVICE_NOT_OPEN when the store is not given. */
export const APPOINTMENT_ACTIONS = ['appointment.days', 'appointment.slots', 'appointment.book', 'appointment.mine', 'appointment.cancel', 'appointment.reschedule'] as const;
