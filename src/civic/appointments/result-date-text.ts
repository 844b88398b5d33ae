/**
 * What the citizen and the official read about a result date (hẹn trả kết quả): the date told at
 * once, the reminders, the apology with a new date ("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
 * the result ready, and the official's check the working day before. Vietnamese, or English for a
 * citizen who chatted in English. The words are in locales/<lng>/citizen.json (result_date) and
 * locales/vi/officials.json (result_date).
 */
import type { Appointment } from '../../store/ports/appointments';
import { formatVietnameseDate } from '../calendar/format-date';
import { parseIsoDay, startOfLocalDay } from '../calendar/vietnam-time';
import { findProcedure, pick, type Catalogue } from '../procedures/catalogue';
import type { Locale } from '../../shared/locale';
import { words } from '../words';
import { placeOf } from './appointment-text';
import type { DeskSettings } from './desk-settings';
import type { ResultDateRefusal } from './result-dates';

/** "Thứ Năm, 12/03/2026" for yyyy-mm-dd. */
export function formatResultDay(day: string): string {
  const d = parseIsoDay(day);
  return d === undefined ? day : formatVietnameseDate(startOfLocalDay(d));
}

export function localeOf(a: Pick<Appointment, 'locale'>): Locale {
  return a.locale === 'en' ? 'en' : 'vi';
}

const toCitizen = (key: string, locale: Locale, vars?: Record<string, unknown>) => words(`citizen.result_date.${key}`, locale, vars);
const toOfficial = (key: string, vars?: Record<string, unknown>) => words(`officials.result_date.${key}`, 'vi', vars);

function procedureOf(a: Appointment, catalogue: Catalogue, locale: Locale): string {
  const p = a.procedureId && Array.isArray(catalogue.procedures) ? findProcedure(catalogue, a.procedureId) : undefined;
  return p ? toCitizen('procedure', locale, { name: pick(p.name, locale) }) : '';
}

export interface ResultTextContext {
  catalogue: Catalogue;
  desk: DeskSettings;
}

/** Told at once when the day is recorded. */
export function resultPromisedText(a: Appointment, day: string, ctx: ResultTextContext): string {
  const locale = localeOf(a);
  return toCitizen('promised', locale, { name: a.name, code: a.code, what: procedureOf(a, ctx.catalogue, locale), day: formatResultDay(day) });
}

/** The apology with the new day: the result will not be ready on the day promised. */
export function resultMovedText(a: Appointment, from: string, to: string, reason: string | undefined): string {
  const locale = localeOf(a);
  return [
    toCitizen('moved', locale, { name: a.name, code: a.code, from: formatResultDay(from) }),
    ...(reason ? [toCitizen('moved_reason', locale, { reason })] : []),
    toCitizen('moved_new', locale, { to: formatResultDay(to) }),
  ].join(' ');
}

/** The result is ready to be collected. */
export function resultReadyText(a: Appointment, ctx: ResultTextContext): string {
  const locale = localeOf(a);
  return toCitizen('ready', locale, { name: a.name, code: a.code, place: placeOf(ctx.catalogue, ctx.desk, a, locale) });
}

/**
 * The reminder `daysBefore` days before the result day. `relative` false says the date alone (no
 * "tomorrow"): for a reminder that may be read later, when it waits for the person's next message.
 */
export function resultReminderText(a: Appointment, day: string, daysBefore: number, ctx: ResultTextContext, relative = true): string {
  const locale = localeOf(a);
  const place = placeOf(ctx.catalogue, ctx.desk, a, locale);
  const date = formatResultDay(day);
  if (!relative) daysBefore = -1;
  const when = toCitizen(daysBefore === 0 ? 'when_today' : daysBefore === 1 ? 'when_tomorrow' : 'when_day', locale, { date });
  return toCitizen('reminder', locale, { when, code: a.code, place });
}

/** The official's check, the working day before. */
export function resultCheckText(a: Appointment, day: string, catalogue: Catalogue): string {
  return toOfficial('check', { name: a.name, code: a.code, what: procedureOf(a, catalogue, 'vi'), day: formatResultDay(day) });
}

/** The result-date commands, as the officials' help lists them. */
export const resultCommandList = (): string => toOfficial('command_list');

/** Replies to the official's result-date commands. */
export const RESULT_TEXT = {
  wrongCode: (typed: string) => toOfficial('wrong_code', { typed }),
  missingDay: (command: string, code: string) => toOfficial('missing_day', { command, code }),
  wrongDay: (typed: string, command: string, code: string) => toOfficial('wrong_day', { typed, command, code }),
  recorded: (a: Appointment, day: string) => toOfficial('recorded', { code: a.code, name: a.name, day: formatResultDay(day) }),
  unchanged: (a: Appointment, day: string) => toOfficial('unchanged', { code: a.code, day: formatResultDay(day) }),
  moved: (a: Appointment, day: string, reason: string | undefined) => toOfficial(reason ? 'moved_reason' : 'moved', { code: a.code, name: a.name, day: formatResultDay(day) }),
  confirmed: (a: Appointment, day: string) => toOfficial('confirmed', { code: a.code, day: formatResultDay(day) }),
  ready: (a: Appointment) => toOfficial('ready', { code: a.code, name: a.name }),
} as const;

/** Why a result-date change was refused, for the official who asked. */
export function resultRefusalText(code: ResultDateRefusal, typed: string, a: Appointment | undefined, typedDay?: string): string {
  const day = a?.result ? formatResultDay(a.result.day) : '';
  return toOfficial(`refusal.${code}`, { typed, day, typedDay: typedDay ?? '' });
}
