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
    if (numeric[3] === undefined) return withoutYear(Number(numeric[2]), Number(numeric[1]), today);
    const year = Number(numeric[3].length === 2 ? `20${numeric[3]}` : numeric[3]);
    const day = fromYmd(year, Number(numeric[2]), Number(numeric[1]));
    return day === null ? null : dayToIso(day);
  }
  const f = foldText(input);
  const words = /^ngay (\d{1,2}) thang (\d{1,2})(?: nam (\d{4}))?$/.exec(f);
  if (words) {
    if (words[3] === undefined) return withoutYear(Number(words[2]), Number(words[1]), today);
    const day = fromYmd(Number(words[3]), Number(words[2]), Number(words[1]));
    return day === null ? null : dayToIso(day);
  }
  const rel = relativeDay(f, today);
  return rel === null ? null : dayToIso(rel);
}

/**
 * A day and month said without a year: this year's, unless that was more than two months ago
 * ("5/1" said in December is next January; "20/11" said in December is last month).
 */
function withoutYear(month: number, dayOfMonth: number, today: DayNumber): string | null {
  const year = Number(dayToIso(today).slice(0, 4));
  const day = fromYmd(year, month, dayOfMonth);
  if (day !== null && day < today - 60) return dayToIso(fromYmd(year + 1, month, dayOfMonth) ?? day);
  return day === null ? null : dayToIso(day);
}

/** "ngày 8", "mùng 8": the next day of the month with that number, today included. */
function dayOfMonth(n: number, today: DayNumber): string | null {
  if (n < 1 || n > 31) return null;
  const [y, m] = dayToIso(today).split('-').map(Number);
  for (let k = 0; k < 3; k += 1) {
    const month = ((m - 1 + k) % 12) + 1;
    const day = fromYmd(y + Math.floor((m - 1 + k) / 12), month, n);
    if (day !== null && day >= today) return dayToIso(day);
  }
  return null;
}

/** Days from today (Vietnam time) to an ISO day; negative when past. */
export function daysFromToday(iso: string, now: number): number {
  const [y, m, d] = iso.split('-').map(Number);
  return (fromYmd(y, m, d) ?? 0) - vnToday(now);
}

const WEEKDAY_WORD = '(?:thu (?:2|3|4|5|6|7|hai|ba|tu|nam|sau|bay)|t[2-7]|chu nhat|cn|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)';
const WEEK_WORD = '(?: (?:tuan sau|tuan toi|tuan nay|next week|this week))?';
const IN_SENTENCE: RegExp[] = [
  new RegExp(`(?:^| )(next ${WEEKDAY_WORD}|${WEEKDAY_WORD}${WEEK_WORD})(?= |$)`),
  /(?:^| )(hom nay|ngay mai|sang mai|chieu mai|ngay kia|ngay mot|today|tomorrow|day after tomorrow|mai|mot)(?= |$)/,
];

/**
 * A date said inside a sentence ("thứ 5 tuần sau nhé", "mai em qua", "ngày 10/12 được không", "t5"),
 * as an ISO day; null when the sentence names none. The whole-message forms of parseDate come first.
 */
export function findDate(input: string, now: number): string | null {
  const whole = parseDate(input, now);
  if (whole) return whole;
  const numeric = /(?:^|[^\d/.-])(\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*(?:\d{4}|\d{2}))?)(?![\d/.-]*\d)/.exec(input);
  if (numeric) {
    const iso = parseDate(numeric[1], now);
    if (iso) return iso;
  }
  // "thu5", "t5nhe": the number stuck to its word
  const f = foldText(input).replace(/\bthu(\d)\b/g, 'thu $1');
  const words = /ngay (\d{1,2}) thang (\d{1,2})(?: nam (\d{4}))?/.exec(f);
  if (words) {
    const iso = parseDate(words[0], now);
    if (iso) return iso;
  }
  for (const re of IN_SENTENCE) {
    const m = re.exec(f);
    if (m) {
      const iso = parseDate(m[1], now);
      if (iso) return iso;
    }
  }
  const alone = /(?:^| )(?:ngay|mung|mong) (\d{1,2})(?= |$)(?! (?:thang|ngay|lan|gio|h)\b)/.exec(f);
  return alone ? dayOfMonth(Number(alone[1]), vnToday(now)) : null;
}

/** A time of day as minutes after midnight, or the part of the day it names. */
export type TimeSaid = { minutes: number } | { period: 'morning' | 'noon' | 'afternoon' };

/**
 * A time said as people say it: "9h30", "9h30 sáng", "9 giờ rưỡi", "2 giờ chiều", "14:00", "14h",
 * or only the part of the day ("sáng", "chiều"); null when there is none.
 */
export function findTime(input: string): TimeSaid | null {
  const f = foldText(input.replace(/(\d{1,2})\s*:\s*(\d{2})/g, '$1h$2'));
  const period = partOfDay(input, f);
  const m = /(?:^| )(\d{1,2}) ?(?:h|gio|tieng|g)(?: ?(\d{1,2}|ruoi|kem 15))?(?: ?phut)?(?= |$)/.exec(f) ?? /(?:^| )(\d{1,2}) (ruoi)(?= |$)/.exec(f);
  if (m) {
    let hour = Number(m[1]);
    let minute = m[2] === undefined ? 0 : m[2] === 'ruoi' ? 30 : m[2] === 'kem 15' ? -15 : Number(m[2]);
    if (hour > 23 || minute > 59) return null;
    if ((period === 'afternoon' || period === 'evening') && hour < 12) hour += 12;
    // "2 giờ" at a desk open 7h30-17h is 14h: nobody books 2 a.m.
    else if (period === undefined && hour >= 1 && hour <= 5) hour += 12;
    if (minute < 0) {
      hour -= 1;
      minute += 60;
    }
    return { minutes: hour * 60 + minute };
  }
  if (period === 'morning' || period === 'noon' || period === 'afternoon') return { period };
  return null;
}

/**
 * The part of the day a message names. Without their marks "sáng" and "tối" are "sang" (over, as in
 * "dời sang thứ 6") and "tôi" (I): unmarked, only "buổi sáng", "chiều" or a whole short answer count.
 */
function partOfDay(input: string, folded: string): 'morning' | 'noon' | 'afternoon' | 'evening' | undefined {
  const marked = ` ${input.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
  const padded = ` ${folded} `;
  if (/ sáng /.test(marked) || / buoi sang /.test(padded) || /^(sang|sang mai|sang nay|morning)$/.test(folded) || / (am|morning) /.test(padded)) return 'morning';
  if (/ trưa /.test(marked) || / buoi trua /.test(padded) || /^(trua|noon)$/.test(folded)) return 'noon';
  if (/ chieu /.test(padded) || / (pm|afternoon) /.test(padded)) return 'afternoon';
  if (/ tối /.test(marked) || / buoi toi /.test(padded)) return 'evening';
  return undefined;
}
