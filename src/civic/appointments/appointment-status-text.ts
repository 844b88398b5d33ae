/**
 * What the citizen who booked an appointment reads when they look its code up: where it stands,
 * when and where, what to bring while it is still ahead, and the result date once an official
 * recorded one. The place comes from the desk data, never made up.
 */
import type { Appointment, AppointmentStatus } from '../../store/ports/appointments';
import { findProcedure, pick, type Catalogue, type LocalizedText } from '../procedures/catalogue';
import type { Locale } from '../../shared/locale';
import { formatSlot, placeOf, whatToBring } from './appointment-text';
import type { DeskSettings } from './desk-settings';
import { formatResultDay } from './result-date-text';

const STATUS: Record<AppointmentStatus, LocalizedText & { en: string }> = {
  booked: { vi: 'Đã đặt lịch', en: 'Booked' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
  attended: { vi: 'Ông/bà đã đến làm thủ tục', en: 'You came to the desk' },
  no_show: { vi: 'Ông/bà chưa đến theo lịch hẹn', en: 'You did not come at the booked time' },
};

/** The booking flow's service values, in words (a bare value is a code, not words for the citizen). */
const SERVICES: Record<string, LocalizedText & { en: string }> = {
  civil_status: { vi: 'Hộ tịch', en: 'Civil status' },
  certification: { vi: 'Chứng thực', en: 'Certification' },
  land: { vi: 'Đất đai', en: 'Land' },
  social_policy: { vi: 'Chính sách xã hội', en: 'Social support' },
  citizen_reception: { vi: 'Tiếp công dân', en: 'Citizen reception' },
};

const WORDS = {
  vi: {
    appointment: 'Lịch hẹn',
    status: 'Tình trạng',
    when: 'Thời gian',
    where: 'Địa điểm',
    bring: 'Xin mang theo:',
    result: 'Ngày hẹn trả kết quả',
    ready: (place: string) => `Kết quả: đã có, mời ông/bà đến nhận tại ${place} trong giờ làm việc.`,
    change: 'Muốn đổi hoặc hủy lịch, ông/bà nhắn "đổi lịch" hoặc "hủy lịch".',
  },
  en: {
    appointment: 'Appointment',
    status: 'Status',
    when: 'When',
    where: 'Where',
    bring: 'Please bring:',
    result: 'Result due',
    ready: (place: string) => `Result: ready; please collect it at ${place} during office hours.`,
    change: 'To change or cancel, write "change appointment" or "cancel appointment".',
  },
} as const;

function whatFor(a: Appointment, catalogue: Catalogue, locale: Locale): string | undefined {
  const procedure = a.procedureId && Array.isArray(catalogue.procedures) ? findProcedure(catalogue, a.procedureId) : undefined;
  if (procedure) return pick(procedure.name, locale);
  const service = a.service ? SERVICES[a.service] : undefined;
  return service ? pick(service, locale) : undefined;
}

/** The ready-to-show status of `a` for the person who booked it, at time `now`. */
export function appointmentStatusText(a: Appointment, catalogue: Catalogue, desk: DeskSettings, locale: Locale, now: number): string {
  const w = WORDS[locale];
  const what = whatFor(a, catalogue, locale);
  const place = placeOf(catalogue, desk, a, locale);
  const lines = [`${w.appointment} ${a.code}${what ? ` — ${what}` : ''}`, `${w.status}: ${pick(STATUS[a.status], locale)}`, `${w.when}: ${formatSlot(a)}`];
  if (a.status === 'cancelled') return lines.join('\n');
  lines.push(`${w.where}: ${place}`);
  const ahead = a.status === 'booked' && a.slot.end > now;
  if (ahead) lines.push(w.bring, ...whatToBring(catalogue, a, locale).map((d) => `  • ${d}`));
  if (a.result?.status === 'ready') lines.push(w.ready(place));
  else if (a.result) lines.push(`${w.result}: ${formatResultDay(a.result.day)}`);
  if (ahead) lines.push(w.change);
  return lines.join('\n');
}
