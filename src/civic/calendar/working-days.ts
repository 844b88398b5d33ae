/**
 * Working days: Monday to Friday (as the office-hours file says) except holidays and days off,
 * plus the Saturdays or Sundays worked in exchange. Deadlines count these days.
 */
import { AppError } from '../../shared/app-error';
import type { Calendar } from './calendar';
import { entryOn } from './holidays';
import { localDayOf, parseIsoDay, startOfLocalDay, WEEKDAY_KEYS, weekdayOf, type LocalDay } from './vietnam-time';

/** An instant (epoch ms; its Vietnamese day is meant) or a day written yyyy-mm-dd. */
export type DayRef = number | string;

// Far more than any schedule's gap between working days; stops a broken calendar from looping.
const MAX_SCAN_DAYS = 3660;

export function dayOf(date: DayRef): LocalDay {
  if (typeof date === 'number') return localDayOf(date);
  const day = parseIsoDay(date);
  if (day === undefined) throw new AppError('VALIDATION_FAILED', `not a date yyyy-mm-dd: "${date}"`, { date });
  return day;
}

/** Whether a Vietnamese day is a working day. */
export function isWorkingLocalDay(cal: Calendar, day: LocalDay): boolean {
  const entry = entryOn(cal.holidays, day);
  if (entry) return entry.kind === 'working_day';
  return cal.hours.workingDays.includes(WEEKDAY_KEYS[weekdayOf(day)]);
}

/** Whether `date` (an instant, or yyyy-mm-dd) is a working day in Vietnam. */
export function isWorkingDay(cal: Calendar, date: DayRef): boolean {
  return isWorkingLocalDay(cal, dayOf(date));
}

/** The first working day after `day` (step 1) or before it (step -1). */
export function stepWorkingDay(cal: Calendar, day: LocalDay, step: 1 | -1): LocalDay {
  for (let d = day + step, i = 0; i < MAX_SCAN_DAYS; d += step, i++) {
    if (isWorkingLocalDay(cal, d)) return d;
  }
  throw new AppError('INTERNAL', `no working day within ${MAX_SCAN_DAYS} days of day ${day}: check the calendar data`);
}

/** The `n`-th working day after `day` (before it when n < 0); `day` itself is not counted. */
export function nthWorkingDay(cal: Calendar, day: LocalDay, n: number): LocalDay {
  if (!Number.isInteger(n)) throw new AppError('VALIDATION_FAILED', `a number of working days must be whole, not ${n}`, { n });
  let d = day;
  for (let i = 0; i < Math.abs(n); i++) d = stepWorkingDay(cal, d, n > 0 ? 1 : -1);
  return d;
}

/**
 * The same Vietnamese wall-clock time `n` working days after `from` (before it when n < 0).
 * The day of `from` is not counted, whether or not it is a working day: from Friday 10:00, one
 * working day is Monday 10:00 (or later when Monday is off). n = 0 returns `from`.
 */
export function addWorkingDays(cal: Calendar, from: number, n: number): number {
  if (n === 0) return from;
  const day = localDayOf(from);
  const sinceMidnight = from - startOfLocalDay(day);
  return startOfLocalDay(nthWorkingDay(cal, day, n)) + sinceMidnight;
}
