import { foldText } from '../../shared/text-fold';

/** Vietnam is UTC+7 all year (no DST): business dates come from this offset, whatever the server's TZ. */
const VN_OFFSET_MS = 7 * 3600_000;
const DAY_MS = 86_400_000;

/** A calendar day as a count of days since 1970-01-01. */
type DayNumber = number;

export function vnToday(now: number): DayNumber {
  return Math.floor((now + VN_OFFSET_MS) / DAY_MS);
}

export function dayToIso(day: DayNumber): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function isoToDisplay(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

function fromYmd(y: number, m: number, d: number): DayNumber | null {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2200) return null;
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  if (back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

/** 1 = Monday … 7 = Sunday */
function isoWeekday(day: DayNumber): number {
  const w = new Date(day * DAY_MS).getUTCDay();
  return w === 0 ? 7 : w;
}

const WEEKDAYS: [RegExp, number][] = [
  [/^(thu 2|thu hai|t2|monday|mon)$/, 1],
  [/^(thu 3|thu ba|t3|tuesday|tue)$/, 2],
  [/^(thu 4|thu tu|t4|wednesday|wed)$/, 3],
  [/^(thu 5|thu nam|t5|thursday)$/, 4],
  [/^(thu 6|thu sau|t6|friday|fri)$/, 5],
  [/^(thu 7|thu bay|t7|saturday|sat)$/, 6],
  [/^(chu nhat|cn|sunday|sun)$/, 7],
];

function relativeDay(f: string, today: DayNumber): DayNumber | null {
  if (/^(hom nay|nay|today)$/.test(f)) return today;
  if (/^(mai|ngay mai|sang mai|chieu mai|tomorrow)$/.test(f)) return today + 1;
  if (/^(ngay kia|mot|ngay mot|day after tomorrow)$/.test(f)) return today + 2;
  const m = /^(?:vao |ngay )?(.+?)(?: (tuan sau|tuan toi|next week|tuan nay|this week))?$/.exec(f.replace(/^next /, ''));
  if (!m) return null;
  const week = f.startsWith('next ') ? 'tuan sau' : m[2];
  const wd = WEEKDAYS.find(([re]) => re.test(m[1]))?.[1];
  if (wd === undefined) return null;
  const monday = today - (isoWeekday(today) - 1);
  if (week === 'tuan sau' || week === 'tuan toi' || week === 'next week') return monday + 7 + (wd - 1);
  if (week === 'tuan nay' || week === 'this week') return monday + (wd - 1);
  // a bare weekday means the coming one, never today
  const ahead = (wd - isoWeekday(today) + 7) % 7;
  return today + (ahead === 0 ? 7 : ahead);
}

/**
 * A date as an ISO day (yyyy-mm-dd), or null. Accepts dd/mm/yyyy (also - or .), dd/mm (this year),
 * "ngày 5 tháng 3 năm 2026", and words counted from `now` in Vietnam's time zone: "hôm nay", "mai",
 * "ngày mai", "ngày kia", "thứ 2 tuần sau", "chủ nhật", "today", "tomorrow", "next monday".
 */
export function parseDate(input: string, now: number): string | null {
  const today = vnToday(now);
  const numeric = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2}|\d{4}))?$/.exec(input.trim());
  if (numeric) {
    const year = numeric[3] === undefined ? Number(dayToIso(today).slice(0, 4)) : Number(numeric[3].length === 2 ? `20${numeric[3]}` : numeric[3]);
    const day = fromYmd(year, Number(numeric[2]), Number(numeric[1]));
    return day === null ? null : dayToIso(day);
  }
  const f = foldText(input);
  const words = /^ngay (\d{1,2}) thang (\d{1,2})(?: nam (\d{4}))?$/.exec(f);
  if (words) {
    const year = words[3] === undefined ? Number(dayToIso(today).slice(0, 4)) : Number(words[3]);
    const day = fromYmd(year, Number(words[2]), Number(words[1]));
    return day === null ? null : dayToIso(day);
  }
  const rel = relativeDay(f, today);
  return rel === null ? null : dayToIso(rel);
}

/** Days from today (Vietnam time) to an ISO day; negative when past. */
export function daysFromToday(iso: string, now: number): number {
  const [y, m, d] = iso.split('-').map(Number);
  return (fromYmd(y, m, d) ?? 0) - vnToday(now);
}
