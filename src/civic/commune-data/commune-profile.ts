/**
 * The commune profile (flows/data/commune.yaml): the commune's own facts in one place — its name,
 * the data controller, the address, the phone numbers, the disaster line, the citizen-reception
 * days and the commune's settings for procedures that depend on it. Every text that tells a citizen
 * where to go or whom to call reads them from here (the desk's hours come from office-hours.yaml).
 * An empty value is a fact not known yet: the texts leave it out, and `npm run flows:check` lists it.
 */
import { z } from 'zod';
import { parseDataFile } from '../calendar/data-file';
import type { OfficeHours, Session } from '../calendar/office-hours';
import { WEEKDAY_KEYS } from '../calendar/vietnam-time';

/** A plain string is the Vietnamese text; "" is a fact not known yet. */
const text = z.union([
  z.string().transform((vi) => ({ vi: vi.trim(), en: vi.trim() })),
  z.strictObject({ vi: z.string(), en: z.string().optional() }).transform((t) => ({ vi: t.vi.trim(), en: (t.en ?? t.vi).trim() })),
]);

/** Digits, spaces, dots, dashes, a leading +; "" when not known yet. */
const phone = z
  .string()
  .trim()
  .refine((p) => p === '' || /^\+?[0-9][0-9 .-]{1,18}[0-9]$/.test(p), 'a phone number: digits, spaces, dots or dashes (e.g. "0237 3861 234"), or "" while not known');

const EMPTY = { vi: '', en: '' };

const profileSchema = z.strictObject({
  version: z.literal(1),
  /** the shipped demo data: placeholders are warnings, and the start says it is demo data */
  demo: z.boolean().default(false),
  name: text.default(EMPTY),
  /** the data controller named in the consent notices (Luật 91/2025/QH15 Điều 9) */
  controller: text.default(EMPTY),
  /** an outside company hosting the chatbot (bên xử lý dữ liệu cá nhân); "" when the commune runs it */
  processor: text.default(EMPTY),
  address: text.default(EMPTY),
  /** the Trung tâm Phục vụ hành chính công's phone */
  centrePhone: phone.default(''),
  /** Công an xã */
  policePhone: phone.default(''),
  /** the officer on duty (trực UBND xã) */
  dutyPhone: phone.default(''),
  /** Ban chỉ huy phòng thủ dân sự / phòng chống thiên tai xã */
  disasterLine: phone.default(''),
  /** a hotline or the Zalo OA number citizens may call */
  hotline: phone.default(''),
  /** the company the commune pays to collect household waste, as citizens should see it: name and phone */
  wasteCollector: text.default(EMPTY),
  reception: z.strictObject({ days: text.default(EMPTY), place: text.default(EMPTY) }).default({ days: EMPTY, place: EMPTY }),
  /**
   * Building permits for private houses (giấy phép xây dựng nhà ở riêng lẻ): `commune` when the
   * province has given them to UBND xã, `province` when Sở Xây dựng (or another body) issues them,
   * `unknown` until the commune says. The catalogue's entry says what is known either way.
   */
  buildingPermits: z.enum(['commune', 'province', 'unknown']).default('unknown'),
});

export type CommuneProfile = z.output<typeof profileSchema>;
export type BilingualText = { vi: string; en: string };

/** Validates commune.yaml text; `file` names the source in the error. Throws AppError VALIDATION_FAILED. */
export function parseCommuneProfile(yamlText: string, file: string): CommuneProfile {
  return parseDataFile(yamlText, file, profileSchema);
}

/** The profile of a commune that wrote nothing yet: every fact unknown. */
export const EMPTY_PROFILE: CommuneProfile = profileSchema.parse({ version: 1 });

const VI_DAYS = ['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ nhật'];
const EN_DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
/** office-hours.yaml's week starts on Sunday (WEEKDAY_KEYS); a notice board's week on Monday */
const MONDAY_FIRST = [1, 2, 3, 4, 5, 6, 0];

/** 450 -> "7h30", 1020 -> "17h00" (the way a notice board writes it) */
export function viClock(minute: number): string {
  return `${Math.floor(minute / 60)}h${String(minute % 60).padStart(2, '0')}`;
}

function enClock(minute: number): string {
  return `${Math.floor(minute / 60)}:${String(minute % 60).padStart(2, '0')}`;
}

/** "7h30-11h30, 13h30-17h00" */
export function sessionsText(sessions: readonly Session[], locale: 'vi' | 'en'): string {
  const c = locale === 'vi' ? viClock : enClock;
  return sessions.map((s) => `${c(s.from)}-${c(s.to)}`).join(locale === 'vi' ? ', ' : ' and ');
}

/**
 * The desk's week as a notice board says it, from office-hours.yaml: days with the same sessions
 * run together ("Thứ Hai - Thứ Sáu: 7h30-11h30, 13h30-17h00"), closed days are left out, and the
 * same-day cut-off is said once.
 */
export function weeklyHoursText(hours: OfficeHours): BilingualText {
  const runs: { first: number; last: number; key: string; sessions: readonly Session[] }[] = [];
  for (const i of MONDAY_FIRST) {
    const sessions = hours.desk[WEEKDAY_KEYS[i]];
    if (sessions.length === 0) continue;
    const key = JSON.stringify(sessions);
    const prev = runs[runs.length - 1];
    const pos = MONDAY_FIRST.indexOf(i);
    if (prev && prev.key === key && MONDAY_FIRST.indexOf(prev.last) === pos - 1) prev.last = i;
    else runs.push({ first: i, last: i, key, sessions });
  }
  const name = (names: string[], i: number) => names[MONDAY_FIRST.indexOf(i)];
  const part = (names: string[], locale: 'vi' | 'en') =>
    runs.map((r) => `${r.first === r.last ? name(names, r.first) : `${name(names, r.first)} - ${name(names, r.last)}`}: ${sessionsText(r.sessions, locale)}`).join('; ');
  const cutoffVi = viClock(hours.sameDayCutoff);
  const cutoffEn = enClock(hours.sameDayCutoff);
  return {
    vi: `${part(VI_DAYS, 'vi')} (trừ ngày lễ, Tết; hồ sơ trả trong ngày nộp sau ${cutoffVi} được trả vào ngày làm việc tiếp theo)`,
    en: `${part(EN_DAYS, 'en')} (closed on public holidays; same-day files received after ${cutoffEn} are returned the next working day)`,
  };
}

/** "Trung tâm …: 0237 …; Công an xã: …" — the numbers that are known, each with whom it reaches. */
function phonesText(p: CommuneProfile): BilingualText {
  const list: [string, string, string][] = [
    [p.centrePhone, 'Trung tâm Phục vụ hành chính công xã', "the commune's service centre"],
    [p.dutyPhone, 'Trực UBND xã', 'the commune officer on duty'],
    [p.hotline, 'Đường dây nóng', 'Hotline'],
    [p.policePhone, 'Công an xã', 'the commune police'],
    [p.disasterLine, 'Phòng chống thiên tai', 'Disaster line'],
  ];
  const known = list.filter(([n]) => n !== '');
  return { vi: known.map(([n, vi]) => `${vi}: ${n}`).join('; '), en: known.map(([n, , en]) => `${en}: ${n}`).join('; ') };
}

/**
 * The facts as the texts use them, per language (templates read `{{commune.<key>}}`). A fact not
 * known yet is "" (a template shows nothing); the composed ones (`controller_contact`, `phones`)
 * hold only what is known.
 */
export function communeTexts(p: CommuneProfile, hours: OfficeHours | undefined): Record<'vi' | 'en', Record<string, string>> {
  const weekly = hours ? weeklyHoursText(hours) : EMPTY;
  const phones = phonesText(p);
  const out = { vi: {} as Record<string, string>, en: {} as Record<string, string> };
  for (const locale of ['vi', 'en'] as const) {
    const name = p.name[locale] || (locale === 'vi' ? 'xã' : 'the commune');
    const controller = p.controller[locale] || (locale === 'vi' ? `UBND ${name}` : `the People's Committee of ${name}`);
    const contactNumber = p.centrePhone || p.dutyPhone || p.hotline;
    const processor = p.processor[locale] ? (locale === 'vi' ? `; bên xử lý dữ liệu cá nhân: ${p.processor[locale]}` : `; data processor: ${p.processor[locale]}`) : '';
    const contactParts = [controller, p.address[locale], contactNumber ? (locale === 'vi' ? `điện thoại ${contactNumber}` : `phone ${contactNumber}`) : ''].filter((s) => s !== '');
    // the disaster line when the commune gave one, else the national search-and-rescue number
    const disaster = p.disasterLine || p.dutyPhone;
    Object.assign(out[locale], {
      name,
      controller,
      controller_contact: `${contactParts.join(', ')}${processor}`,
      processor: p.processor[locale],
      address: p.address[locale],
      centre_phone: p.centrePhone,
      police_phone: p.policePhone,
      duty_phone: p.dutyPhone,
      hotline: p.hotline,
      waste_collector: p.wasteCollector[locale],
      phones: phones[locale],
      /** a sentence to end a "come to the office" text with; "" while no number is known */
      call_us: phones[locale] ? (locale === 'vi' ? `Số điện thoại của xã: ${phones[locale]}.` : `The commune's phone numbers: ${phones[locale]}.`) : '',
      disaster_line: disaster || '112',
      disaster_line_name: disaster
        ? locale === 'vi' ? 'Ban chỉ huy phòng chống thiên tai xã' : "the commune's disaster response board"
        : locale === 'vi' ? 'tìm kiếm cứu nạn; báo cả trưởng thôn và Ban chỉ huy phòng chống thiên tai xã' : "search and rescue; tell the village head and the commune's disaster response board too",
      /** "Lịch tiếp công dân của Chủ tịch UBND xã: Thứ Năm hằng tuần, tại …." or "" while the days are not known */
      reception_line: p.reception.days[locale]
        ? locale === 'vi'
          ? `Lịch tiếp công dân của Chủ tịch UBND xã: ${p.reception.days.vi}${p.reception.place.vi ? `, tại ${p.reception.place.vi}` : ''}.`
          : `The commune chair's citizen reception: ${p.reception.days.en}${p.reception.place.en ? `, at ${p.reception.place.en}` : ''}.`
        : '',
      reception_days: p.reception.days[locale],
      reception_place: p.reception.place[locale],
      hours: weekly[locale],
    });
  }
  return out;
}
