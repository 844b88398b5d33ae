/**
 * Wall-clock time in Vietnam (Asia/Ho_Chi_Minh): UTC+07:00 all year, no daylight saving since 1975.
 * Business rules are computed here with a fixed +7 h offset on epoch milliseconds, so the server's
 * own TZ never changes a deadline. Only UTC getters of Date are used.
 */

export const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

/** A calendar day in Vietnam as a whole number: days since 1970-01-01 (local). */
export type LocalDay = number;

/** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export const WEEKDAY_KEYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The Vietnamese day that instant `t` (epoch ms) falls on. */
export function localDayOf(t: number): LocalDay {
  return Math.floor((t + VIETNAM_OFFSET_MS) / DAY_MS);
}

/** The instant local midnight begins `day`. */
export function startOfLocalDay(day: LocalDay): number {
  return day * DAY_MS - VIETNAM_OFFSET_MS;
}

/** Minutes since local midnight at instant `t` (0 … 1439). */
export function localMinuteOf(t: number): number {
  return Math.floor((t - startOfLocalDay(localDayOf(t))) / MINUTE_MS);
}

/** The instant `minute` minutes after local midnight of `day`. */
export function atLocalMinute(day: LocalDay, minute: number): number {
  return startOfLocalDay(day) + minute * MINUTE_MS;
}

export function weekdayOf(day: LocalDay): Weekday {
  // 1970-01-01 was a Thursday (4).
  return ((((day + 4) % 7) + 7) % 7) as Weekday;
}

/** The day of a real calendar date given as yyyy-mm-dd, or undefined (e.g. 2026-02-30). */
export function parseIsoDay(text: string): LocalDay | undefined {
  const m = ISO_DAY.exec(text);
  if (!m) return undefined;
  const [year, month, date] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, date);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== date) return undefined;
  return ms / DAY_MS;
}

/** Calendar parts of `day`: year, month 1-12, date 1-31. */
export function partsOfDay(day: LocalDay): { year: number; month: number; date: number } {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, date: d.getUTCDate() };
}

/** `day` as yyyy-mm-dd. */
export function isoOfDay(day: LocalDay): string {
  const { year, month, date } = partsOfDay(day);
  return `${year}-${pad2(month)}-${pad2(date)}`;
}

/**
 * The instant of a Vietnamese wall-clock time: `vietnamTime(2026, 2, 16, 14, 30)` is 14:30 on
 * 16/02/2026 in Vietnam (07:30 UTC). Month is 1-12.
 */
export function vietnamTime(year: number, month: number, date: number, hour = 0, minute = 0): number {
  return Date.UTC(year, month - 1, date, hour, minute) - VIETNAM_OFFSET_MS;
}

/** "HH:MM" (24-hour) to minutes since midnight, or undefined when it is not a time of day. */
export function parseClock(text: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
