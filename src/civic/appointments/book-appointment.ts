/**
 * Booking a time at the one-stop desk: the open days, the slots with room, and booking, moving and
 * cancelling an appointment. The store decides the race for the last place; reminders are planned
 * (or re-planned, or removed) after the store has changed, through the ReminderPlanner port.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Appointment, AppointmentStore } from '../../store/ports/appointments';
import type { Calendar } from '../calendar/calendar';
import { isoOfDay, localDayOf, parseIsoDay, partsOfDay, pad2 } from '../calendar/vietnam-time';
import type { DeskSettings } from './desk-settings';
import { bookableSlot, slotsWithRoom, upcomingDeskDays, type DeskSlot } from './desk-slots';

/** Plans an appointment's reminder jobs; implemented in jobs/ (BullMQ delayed jobs). */
export interface ReminderPlanner {
  /** (Re)plans every reminder still ahead; reminders of an earlier time of this appointment are removed. */
  plan(appointment: Appointment): Promise<void>;
  /** Removes every reminder of this appointment. */
  remove(appointment: Appointment): Promise<void>;
}

export interface AppointmentDeps {
  appointments: AppointmentStore;
  calendar: Calendar;
  desk: DeskSettings;
  reminders?: ReminderPlanner;
  /** default crypto.randomUUID */
  newId?: () => string;
  /** four characters for the code; default random from an alphabet without look-alikes */
  newCodeSuffix?: () => string;
}

export type AppointmentRefusal =
  /** the slot filled up meanwhile */
  | 'SLOT_FULL'
  /** not a desk time, a holiday, past, or too soon */
  | 'SLOT_NOT_OPEN'
  /** this procedure does not need the desk */
  | 'NOT_AT_DESK'
  /** unknown, or someone else's appointment (never told apart) */
  | 'NOT_FOUND'
  /** cancelled or already marked */
  | 'NOT_BOOKED';

export type AppointmentOutcome = { ok: true; appointment: Appointment } | { ok: false; code: AppointmentRefusal };

export interface OpenDay {
  /** yyyy-mm-dd */
  date: string;
  /** slots with room that day */
  free: number;
}

// No 0/O, 1/I/L: codes are read out over the phone.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_ATTEMPTS = 5;

function randomSuffix(): string {
  return [...randomBytes(4)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

/** "LH-0309-4K7P": LH (lịch hẹn), the appointment's day and month, four random characters. */
export function appointmentCode(start: number, suffix: string): string {
  const { month, date } = partsOfDay(localDayOf(start));
  return `LH-${pad2(month)}${pad2(date)}-${suffix}`;
}

/** The next days (at most desk.daysOffered) the desk is open with a slot that has room. */
export async function openDays(deps: AppointmentDeps, now: number): Promise<OpenDay[]> {
  const { calendar, desk, appointments } = deps;
  const out: OpenDay[] = [];
  // A few more days than offered: some may be full.
  for (const day of upcomingDeskDays(calendar, desk, now, desk.daysOffered + 10)) {
    const free = slotsWithRoom(calendar, desk, day, await appointments.countsByDay(isoOfDay(day)), now).length;
    if (free > 0) out.push({ date: isoOfDay(day), free });
    if (out.length >= desk.daysOffered) break;
  }
  return out;
}

/** The slots of `date` (yyyy-mm-dd) with room left and not too soon; none on a closed day. */
export async function openSlots(deps: AppointmentDeps, date: string, now: number): Promise<DeskSlot[]> {
  const day = parseIsoDay(date);
  if (day === undefined) return [];
  return slotsWithRoom(deps.calendar, deps.desk, day, await deps.appointments.countsByDay(date), now);
}

/** Whether a procedure of the catalogue needs the desk (a flow service without a procedure always may). */
export function deskTakes(desk: DeskSettings, procedureId: string | undefined): boolean {
  return !procedureId || desk.procedures.includes(procedureId);
}

export interface BookingRequest {
  slotKey: string;
  procedureId?: string;
  service?: string;
  name: string;
  phone?: string;
  channel: string;
  userId: string;
  locale: string;
}

export async function bookAppointment(deps: AppointmentDeps, req: BookingRequest, now: number): Promise<AppointmentOutcome> {
  const { appointments, calendar, desk, reminders, newId = randomUUID, newCodeSuffix = randomSuffix } = deps;
  if (!deskTakes(desk, req.procedureId)) return { ok: false, code: 'NOT_AT_DESK' };
  const slot = bookableSlot(calendar, desk, req.slotKey, now);
  if (!slot) return { ok: false, code: 'SLOT_NOT_OPEN' };
  const { capacity, free: _free, ...where } = slot;
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    const result = await appointments.book(where, capacity, {
      id: newId(),
      code: appointmentCode(slot.start, newCodeSuffix()),
      ...(req.procedureId ? { procedureId: req.procedureId } : {}),
      ...(req.service ? { service: req.service } : {}),
      name: req.name,
      ...(req.phone ? { phone: req.phone } : {}),
      channel: req.channel,
      userId: req.userId,
      locale: req.locale,
      createdAt: now,
    });
    if (result.ok) {
      await reminders?.plan(result.appointment);
      return { ok: true, appointment: result.appointment };
    }
    if (result.reason === 'slot_full') return { ok: false, code: 'SLOT_FULL' };
  }
  throw new Error(`no free appointment code after ${CODE_ATTEMPTS} draws`);
}

/** The asker's own appointment by id, or NOT_FOUND (someone else's is never shown). */
async function ownAppointment(deps: AppointmentDeps, id: string, asker: { channel: string; userId: string }): Promise<Appointment | null> {
  const a = await deps.appointments.get(id);
  return a && a.channel === asker.channel && a.userId === asker.userId ? a : null;
}

export async function rescheduleAppointment(
  deps: AppointmentDeps,
  req: { id: string; slotKey: string; asker: { channel: string; userId: string } },
  now: number,
): Promise<AppointmentOutcome> {
  const before = await ownAppointment(deps, req.id, req.asker);
  if (!before) return { ok: false, code: 'NOT_FOUND' };
  const slot = bookableSlot(deps.calendar, deps.desk, req.slotKey, now);
  if (!slot) return { ok: false, code: 'SLOT_NOT_OPEN' };
  const { capacity, free: _free, ...where } = slot;
  const result = await deps.appointments.reschedule(req.id, where, capacity, now);
  if (!result.ok) return { ok: false, code: result.reason === 'slot_full' ? 'SLOT_FULL' : result.reason === 'not_booked' ? 'NOT_BOOKED' : 'NOT_FOUND' };
  await deps.reminders?.plan(result.appointment);
  return { ok: true, appointment: result.appointment };
}

export async function cancelAppointment(deps: AppointmentDeps, req: { id: string; asker: { channel: string; userId: string } }, now: number): Promise<AppointmentOutcome> {
  const before = await ownAppointment(deps, req.id, req.asker);
  if (!before) return { ok: false, code: 'NOT_FOUND' };
  const result = await deps.appointments.cancel(req.id, now);
  if (!result.ok) return { ok: false, code: result.reason === 'not_booked' ? 'NOT_BOOKED' : 'NOT_FOUND' };
  await deps.reminders?.remove(result.appointment);
  return { ok: true, appointment: result.appointment };
}

/** The asker's appointments still ahead and booked, earliest first. */
export async function upcomingAppointments(deps: AppointmentDeps, asker: { channel: string; userId: string }, now: number): Promise<Appointment[]> {
  return (await deps.appointments.listByPerson(asker.channel, asker.userId, now)).filter((a) => a.status === 'booked');
}
