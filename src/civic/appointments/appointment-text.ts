/**
 * What the citizen reads about an appointment: the confirmation (date, time, place, what to bring,
 * which reminders will reach them) and the reminder itself.
 */
import type { Appointment } from '../../store/ports/appointments';
import { formatVietnameseDate, formatVietnameseTime } from '../calendar/format-date';
import { localDayOf, pad2, partsOfDay, weekdayOf } from '../calendar/vietnam-time';
import { findProcedure, pick, type Catalogue, type LocalizedText } from '../procedures/catalogue';
import type { Locale } from '../../shared/locale';
import type { DeskSettings } from './desk-settings';
import type { MessagingPolicy } from '../../shared/messaging-policy';
import { reminderReach, remindersFor, type ReminderChannels } from './reminders';

const ID_CARD: LocalizedText = { vi: 'Căn cước (hoặc căn cước công dân) của người đến làm thủ tục', en: 'The ID card of the person who comes' };
const PAPERS: LocalizedText = { vi: 'Giấy tờ của thủ tục (cán bộ sẽ hướng dẫn thêm nếu thiếu)', en: 'The papers for the procedure (the desk will tell you if anything is missing)' };

/** "7h30-8h30, Thứ Hai, 09/03/2026" */
export function formatSlot(a: Pick<Appointment, 'slot'>): string {
  return `${formatVietnameseTime(a.slot.start)}-${formatVietnameseTime(a.slot.end)}, ${formatVietnameseDate(a.slot.start)}`;
}

const SHORT_WEEKDAYS = ['CN', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'] as const;

/** "T2 09/03 7h30": the start of the slot, short enough for a quick reply (Messenger shows 20 characters). */
export function formatShortSlot(a: Pick<Appointment, 'slot'>): string {
  const day = localDayOf(a.slot.start);
  const { month, date } = partsOfDay(day);
  return `${SHORT_WEEKDAYS[weekdayOf(day)]} ${pad2(date)}/${pad2(month)} ${formatVietnameseTime(a.slot.start)}`;
}

/** Where the desk is: desk.yaml's place, else the procedure's, else the catalogue's office. */
export function placeOf(catalogue: Catalogue, desk: DeskSettings, a: Appointment, locale: Locale): string {
  if (desk.place) return pick(desk.place, locale);
  const procedure = a.procedureId && Array.isArray(catalogue.procedures) ? findProcedure(catalogue, a.procedureId) : undefined;
  if (procedure?.where) return pick(procedure.where, locale);
  const office = catalogue.office;
  if (!office) return locale === 'en' ? 'the commune one-stop desk' : 'Bộ phận một cửa UBND xã';
  const address = office.address ? `, ${pick(office.address, locale)}` : '';
  return `${pick(office.name, locale)}${address}`;
}

/** The procedure's documents from the catalogue, else the ID card and "the papers". */
export function whatToBring(catalogue: Catalogue, a: Pick<Appointment, 'procedureId'>, locale: Locale): string[] {
  const procedure = a.procedureId && Array.isArray(catalogue.procedures) ? findProcedure(catalogue, a.procedureId) : undefined;
  return (procedure ? procedure.documents : [ID_CARD, PAPERS]).map((d) => pick(d, locale));
}

function shortWhen(t: number): string {
  return `${formatVietnameseTime(t)} ${formatVietnameseDate(t)}`;
}

/** One honest sentence per kind of reach: which reminders go out, and which need a message first. */
export function reminderPromise(a: Appointment, desk: DeskSettings, channels: ReminderChannels, policy: MessagingPolicy, now: number, locale: Locale): string {
  const planned = remindersFor(a, desk.reminders, now);
  if (planned.length === 0) return locale === 'en' ? 'Your appointment is soon, so no reminder will be sent.' : 'Giờ hẹn đã gần nên xã không gửi tin nhắc.';
  const reach = planned.map((r) => ({ ...r, reach: reminderReach(policy, { lastInboundAt: now, at: r.at, channels, ...(a.phone ? { phone: a.phone } : {}) }) }));
  const sure = reach.filter((r) => r.reach !== 'unless_they_write').map((r) => shortWhen(r.at));
  const blocked = reach.filter((r) => r.reach === 'unless_they_write');
  const lines: string[] = [];
  if (sure.length > 0) lines.push(locale === 'en' ? `We will remind you at ${sure.join(' and ')}.` : `Xã sẽ nhắn nhắc ông/bà lúc ${sure.join(' và ')}.`);
  if (blocked.length > 0) {
    const hours = (policy.freeWindowMs ?? 0) / 3600_000;
    const app = policy.displayName;
    const first = blocked[0] as { at: number };
    const writeBy = shortWhen(first.at - hours * 3600_000);
    lines.push(
      locale === 'en'
        ? `${app} lets us write only within ${hours} hours of your last message, so the reminder at ${blocked.map((r) => shortWhen(r.at)).join(' and ')} reaches you only if you send us any message after ${writeBy}.`
        : `${app} chỉ cho phép xã nhắn trong ${hours} giờ sau tin nhắn gần nhất của ông/bà, nên tin nhắc lúc ${blocked.map((r) => shortWhen(r.at)).join(' và ')} chỉ đến được nếu ông/bà nhắn cho xã một tin bất kỳ sau ${writeBy}.`,
    );
  }
  return lines.join(' ');
}

/** The booking (or rescheduling) confirmation. */
export function confirmationText(input: {
  appointment: Appointment;
  catalogue: Catalogue;
  desk: DeskSettings;
  channels: ReminderChannels;
  /** the appointment's platform: what it lets the commune send when */
  policy: MessagingPolicy;
  now: number;
  locale: Locale;
  /** "Đã đổi lịch" instead of "Đã đặt lịch" */
  moved?: boolean;
}): string {
  const { appointment: a, catalogue, desk, channels, policy, now, locale, moved = false } = input;
  const bring = whatToBring(catalogue, a, locale).map((d) => `  • ${d}`);
  if (locale === 'en') {
    return [
      `${moved ? 'Rescheduled' : 'Booked'}: appointment ${a.code} for ${a.name}.`,
      `When: ${formatSlot(a)}`,
      `Where: ${placeOf(catalogue, desk, a, locale)}`,
      'Please bring:',
      ...bring,
      reminderPromise(a, desk, channels, policy, now, locale),
      'To change or cancel, write "change appointment" or "cancel appointment". Thank you!',
    ].join('\n');
  }
  return [
    `${moved ? 'Đã đổi lịch' : 'Đã đặt lịch'} hẹn ${a.code} cho ông/bà ${a.name}.`,
    `Thời gian: ${formatSlot(a)}`,
    `Địa điểm: ${placeOf(catalogue, desk, a, locale)}`,
    'Xin mang theo:',
    ...bring,
    reminderPromise(a, desk, channels, policy, now, locale),
    'Muốn đổi hoặc hủy lịch, ông/bà nhắn "đổi lịch" hoặc "hủy lịch". Cảm ơn ông/bà!',
  ].join('\n');
}

/** The reminder a citizen gets before the appointment. */
export function reminderText(a: Appointment, catalogue: Catalogue, desk: DeskSettings, locale: Locale): string {
  const bring = whatToBring(catalogue, a, locale).join('; ');
  return locale === 'en'
    ? `Reminder: appointment ${a.code} at ${formatSlot(a)}, ${placeOf(catalogue, desk, a, locale)}. Please bring: ${bring}. To change or cancel, write "change appointment" or "cancel appointment".`
    : `Nhắc lịch hẹn ${a.code}: ${formatSlot(a)} tại ${placeOf(catalogue, desk, a, locale)}. Xin mang theo: ${bring}. Muốn đổi hoặc hủy lịch, ông/bà nhắn "đổi lịch" hoặc "hủy lịch".`;
}

/**
 * What an appointment-reminder template (Messenger Utility, Zalo ZNS) is filled with, in Vietnamese
 * like the templates: the procedure, the date, the time and the place.
 */
export function reminderFields(a: Appointment, catalogue: Catalogue, desk: DeskSettings): { code: string; procedure: string; date: string; time: string; place: string } {
  const procedure = a.procedureId && Array.isArray(catalogue.procedures) ? findProcedure(catalogue, a.procedureId) : undefined;
  return {
    code: a.code,
    // a bare service value (civil_status…) is a code, not words for the citizen
    procedure: procedure ? pick(procedure.name, 'vi') : 'Thủ tục hành chính',
    date: formatVietnameseDate(a.slot.start),
    time: `${formatVietnameseTime(a.slot.start)}-${formatVietnameseTime(a.slot.end)}`,
    place: placeOf(catalogue, desk, a, 'vi'),
  };
}

const AGENDA_MAX_CHARS = 1900;

/**
 * The desk officials' agenda of a day: each booked appointment with its time, code, name and
 * procedure, cut before the platforms' 2,000-character limit with how many were left out.
 */
export function deskAgendaText(day: number, booked: Appointment[], catalogue: Catalogue): string {
  const head = `Lịch hẹn hôm nay, ${formatVietnameseDate(day)}: ${booked.length === 0 ? 'chưa có ai đặt lịch.' : `${booked.length} lịch hẹn.`}`;
  const lines = [head];
  for (const [i, a] of booked.entries()) {
    const procedure = a.procedureId && Array.isArray(catalogue.procedures) ? findProcedure(catalogue, a.procedureId) : undefined;
    const what = procedure ? pick(procedure.name, 'vi') : (a.service ?? '');
    const line = `${formatVietnameseTime(a.slot.start)} ${a.code} ${a.name}${what ? ` (${what})` : ''}`;
    if ([...lines, line].join('\n').length > AGENDA_MAX_CHARS) {
      lines.push(`… và ${booked.length - i} lịch hẹn khác: xem trang quản trị.`);
      break;
    }
    lines.push(line);
  }
  return lines.join('\n');
}
