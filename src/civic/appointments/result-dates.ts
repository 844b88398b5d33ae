/**
 * Result dates (hẹn trả kết quả): the official who receives a dossier at a desk appointment records
 * the day its result will be ready, as the paper "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" does.
 * It hangs on the appointment (code LH-…), not on a petition code: the desk official has the
 * appointment on the day's agenda and the citizen in front of them, and the appointment already
 * names the chat account, the name and the language to tell the citizen in. A petition (PA-…) has
 * its own answer and deadline, and no dossier to return.
 *
 * Changes are stored first, then handed to the ResultDateNotifier (jobs/: tell the citizen, plan
 * the reminders and the official's check).
 */
import type { Appointment, AppointmentStore, ResultDateChange, ResultDateUpdate } from '../../store/ports/appointments';
import type { Calendar } from '../calendar/calendar';
import { isWorkingLocalDay } from '../calendar/working-days';
import { isoOfDay, localDayOf, parseIsoDay } from '../calendar/vietnam-time';
import { DEFAULT_RESULT_DATE_SETTINGS, type ResultDateSettings } from './desk-settings';

/** Tells the citizen and (re)plans the jobs after a stored change; implemented in jobs/. */
export interface ResultDateNotifier {
  afterChange(appointment: Appointment, change: ResultDateChange): Promise<void>;
}

export interface ResultDateDeps {
  appointments: AppointmentStore;
  calendar: Calendar;
  /** desk.yaml resultDates; default DEFAULT_RESULT_DATE_SETTINGS */
  settings?: ResultDateSettings;
  notifier?: ResultDateNotifier;
  /** ms since the epoch */
  now(): number;
}

/** Who changes a result date. */
export interface ResultActor {
  /** written in the history: an official id, or the console username */
  by: string;
  /** the official acting, if any: answerable for a date they set */
  officialId?: string;
  /** may change anyone's result date (admins, the chair and vice chairs) */
  supervisor: boolean;
}

/** Why a change was refused; each is an error code of src/shared/error-codes.ts. */
export type ResultDateRefusal =
  | 'APPOINTMENT_NOT_FOUND'
  | 'APPOINTMENT_CANCELLED'
  | 'RESULT_DATE_NOT_WORKING_DAY'
  | 'RESULT_DATE_PAST'
  | 'RESULT_DATE_TOO_FAR'
  | 'RESULT_DATE_NOT_LATER'
  | 'RESULT_DATE_EXISTS'
  | 'NO_RESULT_DATE'
  | 'RESULT_NOT_YOURS'
  | 'RESULT_ALREADY_READY'
  | 'RESULT_CHANGED';

export type ResultDateOutcome =
  /** `change` is null when nothing needed changing (the same day recorded twice) */
  | { ok: true; appointment: Appointment; change: ResultDateChange | null }
  | { ok: false; code: ResultDateRefusal; appointment?: Appointment };

/** "LH-0309-4K7P" from "lh03094k7p", "LH 0309 4K7P", "lh-0309-4k7p"; null when it cannot be one. */
export function normalizeAppointmentCode(typed: string): string | null {
  const m = /^LH(\d{4})([A-Z0-9]{4})$/.exec(typed.replace(/[^A-Za-z0-9]/g, '').toUpperCase());
  return m ? `LH-${m[1]}-${m[2]}` : null;
}

/** Why `day` (yyyy-mm-dd) cannot be a result day seen at `now`, or null when it can. */
export function resultDayProblem(calendar: Calendar, settings: ResultDateSettings, day: string, now: number): ResultDateRefusal | null {
  const d = parseIsoDay(day);
  const today = localDayOf(now);
  if (d === undefined || d < today) return 'RESULT_DATE_PAST';
  if (d > today + settings.maxDaysAhead) return 'RESULT_DATE_TOO_FAR';
  if (!isWorkingLocalDay(calendar, d)) return 'RESULT_DATE_NOT_WORKING_DAY';
  return null;
}

/**
 * The day "dd/mm" (or "dd/mm/yyyy", "d-m", "dd.mm") names, seen on `today`'s Vietnamese date: this
 * year's, or next year's when this year's is over and next year's is within half a year (a date
 * typed in December for January). Null when it is no calendar date.
 */
export function resolveDayMonth(typed: string, now: number): string | null {
  const m = /^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?$/.exec(typed.trim());
  if (!m) return null;
  const [date, month] = [Number(m[1]), Number(m[2])];
  const today = localDayOf(now);
  const iso = (year: number) => `${year}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;
  if (m[3]) return parseIsoDay(iso(Number(m[3]))) === undefined ? null : iso(Number(m[3]));
  const year = Number(isoOfDay(today).slice(0, 4));
  const thisYear = parseIsoDay(iso(year));
  const nextYear = parseIsoDay(iso(year + 1));
  if (thisYear === undefined && nextYear === undefined) return null;
  if (thisYear !== undefined && thisYear >= today) return iso(year);
  if (nextYear !== undefined && nextYear - today <= 183) return iso(year + 1);
  return thisYear === undefined ? null : iso(year);
}

async function find(deps: ResultDateDeps, code: string): Promise<Appointment | { ok: false; code: ResultDateRefusal }> {
  const normal = normalizeAppointmentCode(code);
  const a = normal === null ? null : await deps.appointments.findByCode(normal);
  if (!a) return { ok: false, code: 'APPOINTMENT_NOT_FOUND' };
  if (a.status === 'cancelled') return { ok: false, code: 'APPOINTMENT_CANCELLED' };
  return a;
}

function mayChange(actor: ResultActor, a: Appointment): boolean {
  return actor.supervisor || !a.result || a.result.officialId === actor.officialId;
}

async function apply(deps: ResultDateDeps, a: Appointment, update: ResultDateUpdate): Promise<ResultDateOutcome> {
  const result = await deps.appointments.changeResultDate(a.id, update);
  if (!result.ok) {
    const code: Record<typeof result.reason, ResultDateRefusal> = {
      not_found: 'APPOINTMENT_NOT_FOUND',
      not_booked: 'APPOINTMENT_CANCELLED',
      no_result: 'NO_RESULT_DATE',
      result_exists: 'RESULT_DATE_EXISTS',
      result_ready: 'RESULT_ALREADY_READY',
      result_changed: 'RESULT_CHANGED',
    };
    return { ok: false, code: code[result.reason], appointment: a };
  }
  const history = result.appointment.result?.history ?? [];
  const change = history[history.length - 1];
  if (change) await deps.notifier?.afterChange(result.appointment, change);
  return { ok: true, appointment: result.appointment, change: change ?? null };
}

/**
 * Records the result day of the dossier received at appointment `code` (HENTRA). The official who
 * records it becomes answerable for it (`officialId`, default the actor's). The same day again
 * changes nothing; another day is RESULT_DATE_EXISTS (moving is `moveResultDate`).
 */
export async function recordResultDate(deps: ResultDateDeps, req: { code: string; day: string; actor: ResultActor; officialId?: string }): Promise<ResultDateOutcome> {
  const a = await find(deps, req.code);
  if ('ok' in a) return a;
  if (a.result) {
    if (!mayChange(req.actor, a)) return { ok: false, code: 'RESULT_NOT_YOURS', appointment: a };
    if (a.result.status === 'ready') return { ok: false, code: 'RESULT_ALREADY_READY', appointment: a };
    return a.result.day === req.day ? { ok: true, appointment: a, change: null } : { ok: false, code: 'RESULT_DATE_EXISTS', appointment: a };
  }
  const officialId = req.officialId ?? req.actor.officialId;
  if (officialId === undefined) throw new Error('recordResultDate: name the official answerable for the result');
  const problem = resultDayProblem(deps.calendar, deps.settings ?? DEFAULT_RESULT_DATE_SETTINGS, req.day, deps.now());
  if (problem) return { ok: false, code: problem, appointment: a };
  return apply(deps, a, { what: 'set', day: req.day, officialId, by: req.actor.by, at: deps.now() });
}

/** Moves a promised result day to a later working day (DOIHEN); the citizen gets an apology with it. */
export async function moveResultDate(deps: ResultDateDeps, req: { code: string; day: string; actor: ResultActor; reason?: string }): Promise<ResultDateOutcome> {
  const a = await find(deps, req.code);
  if ('ok' in a) return a;
  if (!a.result) return { ok: false, code: 'NO_RESULT_DATE', appointment: a };
  if (!mayChange(req.actor, a)) return { ok: false, code: 'RESULT_NOT_YOURS', appointment: a };
  if (a.result.status === 'ready') return { ok: false, code: 'RESULT_ALREADY_READY', appointment: a };
  if (req.day <= a.result.day) return { ok: false, code: 'RESULT_DATE_NOT_LATER', appointment: a };
  const problem = resultDayProblem(deps.calendar, deps.settings ?? DEFAULT_RESULT_DATE_SETTINGS, req.day, deps.now());
  if (problem) return { ok: false, code: problem, appointment: a };
  const reason = req.reason?.trim();
  return apply(deps, a, { what: 'moved', from: a.result.day, day: req.day, by: req.actor.by, at: deps.now(), ...(reason ? { reason } : {}) });
}

/** Sets the day when none is recorded, else moves it (the console's one form). */
export async function setResultDate(deps: ResultDateDeps, req: { code: string; day: string; actor: ResultActor; officialId?: string; reason?: string }): Promise<ResultDateOutcome> {
  const a = await find(deps, req.code);
  if ('ok' in a) return a;
  return a.result && a.result.day !== req.day ? moveResultDate(deps, req) : recordResultDate(deps, req);
}

/** The official says the result will be ready on the day (DUNGHEN): kept in the history only. */
export async function confirmResultDate(deps: ResultDateDeps, req: { code: string; actor: ResultActor }): Promise<ResultDateOutcome> {
  return change(deps, req, 'confirmed');
}

/** The result is ready (SANSANG): the citizen is told, the reminders and the check are removed. */
export async function markResultReady(deps: ResultDateDeps, req: { code: string; actor: ResultActor }): Promise<ResultDateOutcome> {
  return change(deps, req, 'ready');
}

async function change(deps: ResultDateDeps, req: { code: string; actor: ResultActor }, what: 'confirmed' | 'ready'): Promise<ResultDateOutcome> {
  const a = await find(deps, req.code);
  if ('ok' in a) return a;
  if (!a.result) return { ok: false, code: 'NO_RESULT_DATE', appointment: a };
  if (!mayChange(req.actor, a)) return { ok: false, code: 'RESULT_NOT_YOURS', appointment: a };
  if (a.result.status === 'ready') return what === 'ready' ? { ok: true, appointment: a, change: null } : { ok: false, code: 'RESULT_ALREADY_READY', appointment: a };
  return apply(deps, a, { what, by: req.actor.by, at: deps.now() });
}
