/**
 * Minutes counted in office hours (the desk's sessions of flows/data/office-hours.yaml, holidays
 * included): "taken within 15 office minutes" asked at 11:25 on a Friday with a morning session to
 * 11:30 means 5 minutes then 10 more from the afternoon session. Pure; Vietnam time whatever the TZ.
 */
import type { Calendar } from '../calendar/calendar';
import { deskSessionsOn } from '../calendar/desk-hours';
import { atLocalMinute, localDayOf } from '../calendar/vietnam-time';

// A calendar whose desk never opens would loop for ever: give up after ten years.
const MAX_SCAN_DAYS = 3660;

/** The sessions of `day` as instants, in order. */
function sessionsOf(cal: Calendar, day: number): { from: number; to: number }[] {
  return deskSessionsOn(cal, day).map((s) => ({ from: atLocalMinute(day, s.from), to: atLocalMinute(day, s.to) }));
}

/** The instant when `minutes` office minutes have passed since `from`; null when the desk never opens. */
export function officeMinutesAfter(cal: Calendar, from: number, minutes: number): number | null {
  let left = minutes * 60_000;
  const first = localDayOf(from);
  for (let day = first; day - first < MAX_SCAN_DAYS; day++) {
    for (const s of sessionsOf(cal, day)) {
      const start = Math.max(s.from, from);
      if (start >= s.to) continue;
      if (start + left <= s.to) return start + left;
      left -= s.to - start;
    }
  }
  return null;
}

/** When the office is next open at or after `t` (`t` itself when open now); null when it never opens. */
export function nextOfficeOpening(cal: Calendar, t: number): number | null {
  const first = localDayOf(t);
  for (let day = first; day - first < MAX_SCAN_DAYS; day++) {
    for (const s of sessionsOf(cal, day)) {
      if (t < s.to) return Math.max(s.from, t);
    }
  }
  return null;
}
