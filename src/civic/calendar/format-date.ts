/**
 * Dates and times as Vietnamese readers expect them, in Vietnam time: "Thứ Hai, 16/02/2026",
 * 24-hour "14h30".
 */
import { localDayOf, localMinuteOf, pad2, partsOfDay, weekdayOf } from './vietnam-time';

const WEEKDAY_NAMES = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'] as const;

export interface VietnameseDateOptions {
  /** put the time first: "14h30, Thứ Hai, 16/02/2026"; default false */
  withTime?: boolean;
}

/** "Thứ Hai, 16/02/2026" for instant `t` (epoch ms), in Vietnam. */
export function formatVietnameseDate(t: number, options: VietnameseDateOptions = {}): string {
  const { withTime = false } = options;
  const day = localDayOf(t);
  const { year, month, date } = partsOfDay(day);
  const text = `${WEEKDAY_NAMES[weekdayOf(day)]}, ${pad2(date)}/${pad2(month)}/${year}`;
  return withTime ? `${formatVietnameseTime(t)}, ${text}` : text;
}

/** "14h30", "7h30", "17h00": 24-hour time in Vietnam. */
export function formatVietnameseTime(t: number): string {
  const minute = localMinuteOf(t);
  return `${Math.floor(minute / 60)}h${pad2(minute % 60)}`;
}
