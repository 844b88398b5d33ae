/**
 * The desk's bookable times: each desk session of a day (office-hours.yaml, closed on holidays)
 * cut into slots of `slotMinutes`, and how many places each has left.
 */
import type { AppointmentSlot } from '../../store/ports/appointments';
import type { Calendar } from '../calendar/calendar';
import { deskSessionsOn, nextOpenSlots } from '../calendar/desk-hours';
import { atLocalMinute, isoOfDay, parseIsoDay, pad2, WEEKDAY_KEYS, weekdayOf, type LocalDay } from '../calendar/vietnam-time';
import { capacityOn, type DeskSettings } from './desk-settings';

/** A slot with its capacity and the places still free. */
export interface DeskSlot extends AppointmentSlot {
  capacity: number;
  free: number;
}

/** "2026-03-09T07:30": the slot's key, its id in the chat and in the store. */
export function slotKeyOf(day: LocalDay, minute: number): string {
  return `${isoOfDay(day)}T${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}`;
}

/** The slot a key names, whether or not the desk is open then; undefined for a malformed key. */
export function parseSlotKey(key: string): { day: LocalDay; minute: number } | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)$/.exec(key);
  const day = m ? parseIsoDay(m[1] as string) : undefined;
  if (!m || day === undefined) return undefined;
  return { day, minute: Number(m[2]) * 60 + Number(m[3]) };
}

/** Every slot of a Vietnamese day (none on a closed day), with full capacity. */
export function slotsOfDay(cal: Calendar, settings: DeskSettings, day: LocalDay): DeskSlot[] {
  const capacity = capacityOn(settings, WEEKDAY_KEYS[weekdayOf(day)]);
  const out: DeskSlot[] = [];
  for (const session of deskSessionsOn(cal, day)) {
    for (let m = session.from; m + settings.slotMinutes <= session.to; m += settings.slotMinutes) {
      out.push({ key: slotKeyOf(day, m), day: isoOfDay(day), start: atLocalMinute(day, m), end: atLocalMinute(day, m + settings.slotMinutes), capacity, free: capacity });
    }
  }
  return out;
}

/**
 * The slot a key names when it is a real desk slot that is not yet too close (now + leadMinutes);
 * undefined otherwise (a holiday, outside the hours, past, malformed).
 */
export function bookableSlot(cal: Calendar, settings: DeskSettings, key: string, now: number): DeskSlot | undefined {
  const parsed = parseSlotKey(key);
  if (!parsed) return undefined;
  const slot = slotsOfDay(cal, settings, parsed.day).find((s) => s.key === key);
  return slot && slot.start >= now + settings.leadMinutes * 60_000 ? slot : undefined;
}

/** The day's slots still ahead (after the lead time) that have room, given the places taken per key. */
export function slotsWithRoom(cal: Calendar, settings: DeskSettings, day: LocalDay, taken: Record<string, number>, now: number): DeskSlot[] {
  const earliest = now + settings.leadMinutes * 60_000;
  return slotsOfDay(cal, settings, day)
    .filter((s) => s.start >= earliest)
    .map((s) => ({ ...s, free: Math.max(0, s.capacity - (taken[s.key] ?? 0)) }))
    .filter((s) => s.free > 0);
}

/** Days the desk is open from `now` on (after the lead time), at most `limit`, as LocalDays. */
export function upcomingDeskDays(cal: Calendar, settings: DeskSettings, now: number, limit: number): LocalDay[] {
  return nextOpenSlots(cal, now, limit, { leadMinutes: settings.leadMinutes }).map((d) => parseIsoDay(d.date) as LocalDay);
}
