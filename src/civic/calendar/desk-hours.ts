/**
 * When the one-stop desk (bộ phận một cửa) is open: for telling citizens the hours and for booking
 * appointments. The desk keeps its weekday sessions on working days, the swapped-day sessions on
 * a Saturday worked in exchange, nothing on a holiday, and may open on a Saturday morning that is
 * not a working day when the office-hours file says so.
 */
import type { Calendar } from './calendar';
import { entryOn } from './holidays';
import type { Session } from './office-hours';
import { atLocalMinute, isoOfDay, localDayOf, localMinuteOf, WEEKDAY_KEYS, weekdayOf, type LocalDay, type WeekdayKey } from './vietnam-time';
import { isWorkingLocalDay } from './working-days';

/** A desk session on a given day, as instants (epoch ms): [from, to). */
export interface OpenSession {
  from: number;
  to: number;
}

export interface OpenDay {
  /** yyyy-mm-dd, in Vietnam */
  date: string;
  weekday: WeekdayKey;
  /** false on a non-working day the desk opens anyway (e.g. a Saturday morning) */
  workingDay: boolean;
  sessions: OpenSession[];
}

export interface OpenSlotOptions {
  /** minutes between `from` and the earliest bookable time; default 0 */
  leadMinutes?: number;
}

// Stops the search on a calendar whose desk never opens.
const MAX_SCAN_DAYS = 3660;

/** The desk's sessions on a Vietnamese day, in minutes since local midnight. */
export function deskSessionsOn(cal: Calendar, day: LocalDay): Session[] {
  const entry = entryOn(cal.holidays, day);
  if (entry) return entry.kind === 'working_day' ? cal.hours.swappedWorkingDay : [];
  return cal.hours.desk[WEEKDAY_KEYS[weekdayOf(day)]];
}

/** Whether the desk is open at instant `t`. */
export function officeOpenAt(cal: Calendar, t: number): boolean {
  const minute = localMinuteOf(t);
  return deskSessionsOn(cal, localDayOf(t)).some((s) => s.from <= minute && minute < s.to);
}

/**
 * The next `days` days the desk is open, from `from` on, with their sessions. On the first day,
 * sessions already over are left out and one under way starts at `from` (plus the lead time).
 * Fewer days are returned only when the desk stays closed for ten years.
 */
export function nextOpenSlots(cal: Calendar, from: number, days: number, options: OpenSlotOptions = {}): OpenDay[] {
  const { leadMinutes = 0 } = options;
  const earliest = from + leadMinutes * 60_000;
  const result: OpenDay[] = [];
  const first = localDayOf(earliest);
  for (let day = first; result.length < days && day - first < MAX_SCAN_DAYS; day++) {
    const sessions = deskSessionsOn(cal, day)
      .map((s) => ({ from: Math.max(atLocalMinute(day, s.from), earliest), to: atLocalMinute(day, s.to) }))
      .filter((s) => s.from < s.to);
    if (sessions.length === 0) continue;
    result.push({ date: isoOfDay(day), weekday: WEEKDAY_KEYS[weekdayOf(day)], workingDay: isWorkingLocalDay(cal, day), sessions });
  }
  return result;
}
