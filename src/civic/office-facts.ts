/**
 * What citizens ask about the office itself — "hôm nay xã có làm việc không", "mấy giờ ủy ban mở
 * cửa", "xã ở đâu", "số điện thoại xã" — answered from the commune's data: the profile
 * (commune.yaml), the desk's hours (office-hours.yaml) and the holidays (holidays.yaml). A fact the
 * commune has not given yet is said to be missing, never guessed.
 */
import type { Calendar } from './calendar/calendar';
import { deskSessionsOn } from './calendar/desk-hours';
import { formatVietnameseDate } from './calendar/format-date';
import { entryOn } from './calendar/holidays';
import { localDayOf, localMinuteOf, partsOfDay, pad2, weekdayOf, type LocalDay } from './calendar/vietnam-time';
import { sessionsText, viClock } from './commune-data/commune-profile';
import type { Locale } from '../shared/locale';

export const OFFICE_QUESTIONS = ['today', 'hours', 'address', 'phones', 'reception'] as const;
export type OfficeQuestion = (typeof OFFICE_QUESTIONS)[number];

export function isOfficeQuestion(x: unknown): x is OfficeQuestion {
  return typeof x === 'string' && (OFFICE_QUESTIONS as readonly string[]).includes(x);
}

export interface OfficeFactsData {
  /** the commune's facts per language, as commune-profile's communeTexts gives them */
  texts: Readonly<Record<'vi' | 'en', Readonly<Record<string, string>>>>;
  /** holidays + desk hours; without them "today" and the hours are not known */
  calendar?: Calendar;
}


const EN_WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
// Stops the search for the next opening on a calendar whose desk never opens.
const MAX_SCAN_DAYS = 400;

function dayText(day: LocalDay, locale: Locale): string {
  const { year, month, date } = partsOfDay(day);
  if (locale === 'vi') return formatVietnameseDate(Date.UTC(year, month - 1, date, 5));
  return `${EN_WEEKDAYS[weekdayOf(day)]}, ${pad2(date)}/${pad2(month)}/${year}`;
}

const enClock = (minute: number) => `${Math.floor(minute / 60)}:${pad2(minute % 60)}`;

/** The first session start after `minute` today, else the first of the next day the desk opens. */
function nextOpening(cal: Calendar, day: LocalDay, minute: number): { day: LocalDay; minute: number } | undefined {
  const later = deskSessionsOn(cal, day).find((s) => s.from > minute);
  if (later) return { day, minute: later.from };
  for (let d = day + 1; d - day < MAX_SCAN_DAYS; d++) {
    const first = deskSessionsOn(cal, d)[0];
    if (first) return { day: d, minute: first.from };
  }
  return undefined;
}

/** "Hôm nay, Thứ Hai, 02/03/2026, xã làm việc: 7h30-11h30, 13h30-17h00. Bây giờ đang trong giờ làm việc." */
export function todayText(cal: Calendar, now: number, locale: Locale): string {
  const day = localDayOf(now);
  const minute = localMinuteOf(now);
  const sessions = deskSessionsOn(cal, day);
  const entry = entryOn(cal.holidays, day);
  const vi = locale === 'vi';
  const when = dayText(day, locale);
  const lines: string[] = [];
  if (sessions.length === 0) {
    const why = entry ? (vi ? `nghỉ ${entry.name.vi}` : `closed for ${entry.name.en ?? entry.name.vi}`) : vi ? 'nghỉ (ngày nghỉ cuối tuần)' : 'closed (weekend)';
    lines.push(vi ? `Hôm nay, ${when}, xã ${why}, không làm việc.` : `Today, ${when}, the commune office is ${why}.`);
  } else {
    const swapped = entry?.kind === 'working_day' ? (vi ? ` (ngày làm bù: ${entry.name.vi})` : ` (a make-up working day: ${entry.name.en ?? entry.name.vi})`) : '';
    lines.push(vi ? `Hôm nay, ${when}, xã có làm việc${swapped}: ${sessionsText(sessions, 'vi')}.` : `Today, ${when}, the commune office is open${swapped}: ${sessionsText(sessions, 'en')}.`);
    const now = sessions.find((s) => s.from <= minute && minute < s.to);
    if (now) lines.push(vi ? `Bây giờ đang trong giờ làm việc (đến ${viClock(now.to)}).` : `It is open now (until ${enClock(now.to)}).`);
  }
  if (!sessions.some((s) => s.from <= minute && minute < s.to)) {
    const next = nextOpening(cal, day, minute);
    if (next && next.day === day) lines.push(vi ? `Bây giờ ngoài giờ làm việc; xã làm việc lại lúc ${viClock(next.minute)} hôm nay.` : `It is closed right now; it opens again at ${enClock(next.minute)} today.`);
    else if (next) lines.push(vi ? `Xã làm việc lại từ ${viClock(next.minute)} ${dayText(next.day, 'vi')}.` : `It opens again at ${enClock(next.minute)} on ${dayText(next.day, 'en')}.`);
  }
  return lines.join(' ');
}

const MISSING = {
  vi: 'xã chưa cập nhật thông tin này trên trợ lý tự động',
  en: 'the commune has not given this to the assistant yet',
};

/** The answer to one office question, in the person's language. */
export function officeAnswer(question: OfficeQuestion, data: OfficeFactsData, now: number, locale: Locale): string {
  const f = data.texts[locale];
  const vi = locale === 'vi';
  const callUs = f.call_us ? ` ${f.call_us}` : '';
  switch (question) {
    case 'today':
      if (!data.calendar) return vi ? `Xin lỗi ông/bà, ${MISSING.vi} (lịch làm việc).${callUs}` : `Sorry, ${MISSING.en} (the office calendar).${callUs}`;
      return `${todayText(data.calendar, now, locale)}${f.address ? (vi ? ` Địa chỉ: ${f.address}.` : ` Address: ${f.address}.`) : ''}`;
    case 'hours': {
      if (!f.hours) return vi ? `Xin lỗi ông/bà, ${MISSING.vi} (giờ làm việc).${callUs}` : `Sorry, ${MISSING.en} (the opening hours).${callUs}`;
      const head = vi ? `Giờ làm việc của Trung tâm Phục vụ hành chính công xã: ${f.hours}.` : `Opening hours of the commune's service centre: ${f.hours}.`;
      return data.calendar ? `${head}\n${todayText(data.calendar, now, locale)}` : head;
    }
    case 'address':
      if (!f.address) {
        return vi
          ? `Xin lỗi ông/bà, ${MISSING.vi} (địa chỉ trụ sở). Ông/bà có thể hỏi trưởng thôn, hoặc bấm "Gặp cán bộ" để hỏi trực tiếp.${callUs}`
          : `Sorry, ${MISSING.en} (the office address). You can ask your village head, or tap "Talk to an official".${callUs}`;
      }
      return vi ? `Trụ sở ${f.controller}, Trung tâm Phục vụ hành chính công xã: ${f.address}.${callUs}` : `${f.controller}, with the commune's service centre: ${f.address}.${callUs}`;
    case 'phones':
      if (!f.phones) {
        return vi
          ? `Xin lỗi ông/bà, ${MISSING.vi} (số điện thoại). Ông/bà có thể nhắn ngay tại đây hoặc bấm "Gặp cán bộ". Khi khẩn cấp: 113 (công an), 114 (cứu hỏa), 115 (cấp cứu).`
          : `Sorry, ${MISSING.en} (the phone numbers). You can write here or tap "Talk to an official". In an emergency: 113 (police), 114 (fire), 115 (ambulance).`;
      }
      return vi ? `Số điện thoại của xã: ${f.phones}. Khi khẩn cấp: 113 (công an), 114 (cứu hỏa), 115 (cấp cứu).` : `The commune's phone numbers: ${f.phones}. In an emergency: 113 (police), 114 (fire), 115 (ambulance).`;
    case 'reception': {
      const law = vi
        ? 'Chủ tịch UBND xã tiếp công dân định kỳ ít nhất 1 ngày mỗi tuần (Luật Tiếp công dân 2013, Điều 15); ngoài ra, ngày làm việc nào ông/bà cũng có thể đến nộp đơn tại trụ sở.'
        : 'The commune chair receives citizens at least one day a week (Law on Citizen Reception 2013, Art. 15); on any working day you can also hand in a written request at the office.';
      if (!f.reception_days) return vi ? `${law} Lịch cụ thể: ${MISSING.vi}.${callUs}` : `${law} The exact schedule: ${MISSING.en}.${callUs}`;
      const place = f.reception_place ? (vi ? `, tại ${f.reception_place}` : `, at ${f.reception_place}`) : '';
      return vi ? `Lịch tiếp công dân của Chủ tịch UBND xã: ${f.reception_days}${place}. ${law}` : `The commune chair's citizen reception: ${f.reception_days}${place}. ${law}`;
    }
  }
}
