/**
 * What the citizen and the official read about a result date (hẹn trả kết quả): the date told at
 * once, the reminders, the apology with a new date ("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
 * the result ready, and the official's check the working day before. Vietnamese, or English for a
 * citizen who chatted in English.
 */
import type { Appointment } from '../../store/ports/appointments';
import { formatVietnameseDate } from '../calendar/format-date';
import { parseIsoDay, startOfLocalDay } from '../calendar/vietnam-time';
import { findProcedure, pick, type Catalogue } from '../procedures/catalogue';
import type { Locale } from '../../shared/locale';
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

function procedureOf(a: Appointment, catalogue: Catalogue, locale: Locale): string {
  const p = a.procedureId && Array.isArray(catalogue.procedures) ? findProcedure(catalogue, a.procedureId) : undefined;
  return p ? `, ${pick(p.name, locale)}` : '';
}

export interface ResultTextContext {
  catalogue: Catalogue;
  desk: DeskSettings;
}

/** Told at once when the day is recorded. */
export function resultPromisedText(a: Appointment, day: string, ctx: ResultTextContext): string {
  const locale = localeOf(a);
  const what = procedureOf(a, ctx.catalogue, locale);
  return locale === 'en'
    ? `The commune has received the dossier of ${a.name} (appointment ${a.code}${what}). Your result will be ready on ${formatResultDay(day)}. We will remind you before that day and write as soon as it is ready. Thank you!`
    : `Xã đã tiếp nhận hồ sơ của ông/bà ${a.name} (lịch hẹn ${a.code}${what}). Ngày hẹn trả kết quả: ${formatResultDay(day)}. Xã sẽ nhắn nhắc ông/bà trước ngày hẹn và báo ngay khi có kết quả. Cảm ơn ông/bà!`;
}

/** The apology with the new day: the result will not be ready on the day promised. */
export function resultMovedText(a: Appointment, from: string, to: string, reason: string | undefined): string {
  const locale = localeOf(a);
  if (locale === 'en') {
    return [
      `We are sorry, ${a.name}: the result of your dossier (appointment ${a.code}) will not be ready on ${formatResultDay(from)} as promised.`,
      ...(reason ? [`Reason: ${reason}.`] : []),
      `The new date is ${formatResultDay(to)}. We apologise for the inconvenience and thank you for your patience.`,
    ].join(' ');
  }
  return [
    `Xin lỗi ông/bà ${a.name}: hồ sơ của ông/bà (lịch hẹn ${a.code}) chưa có kết quả đúng hẹn ngày ${formatResultDay(from)}.`,
    ...(reason ? [`Lý do: ${reason}.`] : []),
    `Xã xin hẹn lại ngày trả kết quả: ${formatResultDay(to)}. Mong ông/bà thông cảm. Cảm ơn ông/bà!`,
  ].join(' ');
}

/** The result is ready to be collected. */
export function resultReadyText(a: Appointment, ctx: ResultTextContext): string {
  const locale = localeOf(a);
  const place = placeOf(ctx.catalogue, ctx.desk, a, locale);
  return locale === 'en'
    ? `Good news, ${a.name}: the result of your dossier (appointment ${a.code}) is ready. Please collect it at ${place} during office hours, bringing your ID card. Thank you!`
    : `Hồ sơ của ông/bà ${a.name} (lịch hẹn ${a.code}) đã có kết quả. Mời ông/bà đến nhận tại ${place} trong giờ làm việc, nhớ mang theo căn cước. Cảm ơn ông/bà!`;
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
  if (locale === 'en') {
    const when = daysBefore === 0 ? `Today, ${date},` : daysBefore === 1 ? `Tomorrow, ${date},` : `${date}`;
    return `Reminder: ${when} is the day the result of your dossier (appointment ${a.code}) is due. Please collect it at ${place} during office hours, with your ID card. If anything changes, we will write to you first.`;
  }
  const when = daysBefore === 0 ? `Hôm nay, ${date},` : daysBefore === 1 ? `Ngày mai, ${date},` : `Ngày ${date}`;
  return `Nhắc ông/bà: ${when} là ngày hẹn trả kết quả hồ sơ (lịch hẹn ${a.code}). Mời ông/bà đến nhận tại ${place} trong giờ làm việc, mang theo căn cước. Nếu có thay đổi, xã sẽ nhắn báo trước.`;
}

/** The official's check, the working day before. */
export function resultCheckText(a: Appointment, day: string, catalogue: Catalogue): string {
  return [
    `Hồ sơ của công dân ${a.name} (lịch hẹn ${a.code}${procedureOf(a, catalogue, 'vi')}) hẹn trả kết quả ${formatResultDay(day)}. Xin đồng chí xác nhận:`,
    `• DUNGHEN ${a.code}: kết quả sẽ có đúng hẹn`,
    `• SANSANG ${a.code}: kết quả đã có (công dân được báo ngay)`,
    `• DOIHEN ${a.code} <ngày/tháng> <lý do>: chưa kịp, hẹn lại (công dân nhận lời xin lỗi kèm ngày mới)`,
  ].join('\n');
}

export const RESULT_COMMAND_LIST = [
  'Hẹn trả kết quả hồ sơ nhận tại lịch hẹn:',
  '• HENTRA <mã lịch hẹn> <ngày/tháng>: ghi ngày hẹn trả kết quả, ví dụ HENTRA LH-0309-4K7P 12/03',
  '• DOIHEN <mã lịch hẹn> <ngày/tháng> <lý do>: hẹn lại ngày khác (công dân nhận lời xin lỗi)',
  '• DUNGHEN <mã lịch hẹn>: xác nhận kết quả sẽ có đúng hẹn',
  '• SANSANG <mã lịch hẹn>: báo công dân kết quả đã có',
].join('\n');

const EXAMPLE = 'HENTRA LH-0309-4K7P 12/03';

/** Replies to the official's result-date commands. */
export const RESULT_TEXT = {
  wrongCode: (typed: string) => `Mã lịch hẹn "${typed}" không đúng. Mã lịch hẹn có dạng LH-0309-4K7P, ví dụ: ${EXAMPLE}.`,
  missingDay: (command: string, code: string) => `Xin nhắn kèm ngày hẹn dạng ngày/tháng, ví dụ: ${command} ${code} 12/03.`,
  wrongDay: (typed: string, command: string, code: string) => `Ngày "${typed}" không đúng. Xin nhắn ngày dạng ngày/tháng, ví dụ: ${command} ${code} 12/03.`,
  recorded: (a: Appointment, day: string) =>
    `Đã ghi hẹn trả kết quả hồ sơ ${a.code} (công dân ${a.name}): ${formatResultDay(day)}. Công dân được báo ngay; ngày làm việc trước ngày hẹn, đồng chí sẽ được nhắc xác nhận.`,
  unchanged: (a: Appointment, day: string) => `Hồ sơ ${a.code} đã được hẹn trả kết quả ${formatResultDay(day)} rồi; không có gì thay đổi.`,
  moved: (a: Appointment, day: string, reason: string | undefined) =>
    `Đã hẹn lại ngày trả kết quả hồ sơ ${a.code} sang ${formatResultDay(day)}. Công dân ${a.name} nhận lời xin lỗi kèm ngày hẹn mới${reason ? ' và lý do' : ''}.`,
  confirmed: (a: Appointment, day: string) => `Đã ghi nhận: hồ sơ ${a.code} sẽ có kết quả đúng hẹn ${formatResultDay(day)}. Khi có kết quả, xin nhắn: SANSANG ${a.code}`,
  ready: (a: Appointment) => `Đã báo công dân ${a.name}: hồ sơ ${a.code} đã có kết quả và mời đến nhận.`,
} as const;

/** Why a result-date change was refused, for the official who asked. */
export function resultRefusalText(code: ResultDateRefusal, typed: string, a: Appointment | undefined, typedDay?: string): string {
  const day = a?.result ? formatResultDay(a.result.day) : '';
  switch (code) {
    case 'APPOINTMENT_NOT_FOUND':
      return `Không tìm thấy lịch hẹn ${typed}. Xin kiểm tra lại mã lịch hẹn (dạng LH-0309-4K7P).`;
    case 'APPOINTMENT_CANCELLED':
      return `Lịch hẹn ${typed} đã bị hủy, nên không ghi được hẹn trả kết quả.`;
    case 'RESULT_DATE_NOT_WORKING_DAY':
      return `Ngày ${typedDay ?? ''} không phải ngày làm việc (cuối tuần hoặc ngày nghỉ lễ). Xin chọn một ngày làm việc.`;
    case 'RESULT_DATE_PAST':
      return `Ngày ${typedDay ?? ''} đã qua. Xin chọn một ngày làm việc từ hôm nay trở đi.`;
    case 'RESULT_DATE_TOO_FAR':
      return `Ngày ${typedDay ?? ''} quá xa. Xin chọn một ngày trong vòng sáu tháng tới.`;
    case 'RESULT_DATE_NOT_LATER':
      return `Ngày hẹn mới phải sau ngày hẹn hiện tại (${day}). Nếu kết quả đã có sớm hơn, xin nhắn: SANSANG ${typed}`;
    case 'RESULT_DATE_EXISTS':
      return `Hồ sơ ${typed} đã được hẹn trả kết quả ${day}. Muốn hẹn lại ngày khác, xin nhắn: DOIHEN ${typed} <ngày/tháng> <lý do>`;
    case 'NO_RESULT_DATE':
      return `Hồ sơ ${typed} chưa có ngày hẹn trả kết quả. Xin nhắn trước: HENTRA ${typed} <ngày/tháng>`;
    case 'RESULT_NOT_YOURS':
      return `Hẹn trả kết quả của hồ sơ ${typed} do cán bộ khác phụ trách, nên đồng chí không thay đổi được.`;
    case 'RESULT_ALREADY_READY':
      return `Hồ sơ ${typed} đã có kết quả (công dân đã được báo), không đổi được ngày hẹn nữa.`;
    case 'RESULT_CHANGED':
      return `Hẹn trả kết quả của hồ sơ ${typed} vừa được thay đổi. Xin nhắn lại.`;
  }
}
