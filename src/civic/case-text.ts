/**
 * What a citizen reads about their own case in the chat: its status, the steps it went through
 * with their dates, and the due date ("biết làm dân tin"). No official's id or name, no internal
 * note, no contact details.
 */
import type { Case, CaseEventKind } from '../store/ports/cases';
import { formatVietnameseDate } from './calendar/format-date';
import { localDayOf, partsOfDay, pad2, weekdayOf } from './calendar/vietnam-time';
import { caseCategoryName } from './cases/categories';
import { petitionTypeName } from './cases/petition-types';
import { CASE_STATUS_WORDS } from './cases/status-words';
import type { Locale } from '../shared/locale';

const EN_WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** "Thứ Hai, 16/03/2026" or "Monday, 16/03/2026", in Vietnam time. */
export function formatDueDate(t: number, locale: Locale): string {
  if (locale === 'vi') return formatVietnameseDate(t);
  const day = localDayOf(t);
  const { year, month, date } = partsOfDay(day);
  return `${EN_WEEKDAYS[weekdayOf(day)]}, ${pad2(date)}/${pad2(month)}/${year}`;
}

function shortDate(t: number): string {
  const { year, month, date } = partsOfDay(localDayOf(t));
  return `${pad2(date)}/${pad2(month)}/${year}`;
}


/** The steps a citizen is shown; notes, reminders and escalations are the commune's own business. */
const SHOWN_EVENTS: Partial<Record<CaseEventKind, Record<Locale, string>>> = {
  received: { vi: 'Xã tiếp nhận', en: 'Received by the commune' },
  assigned: { vi: 'Giao cán bộ phụ trách', en: 'Assigned to an official' },
  accepted: { vi: 'Cán bộ nhận xử lý', en: 'Taken on by the official' },
  transferred: { vi: 'Chuyển cán bộ có thẩm quyền', en: 'Passed to the competent official' },
  resolved: { vi: 'Xã trả lời', en: 'Answered by the commune' },
  rejected: { vi: 'Xã trả lời không tiếp nhận', en: 'Declined by the commune' },
  rated: { vi: 'Ông/bà đánh giá', en: 'Rated by you' },
};

const WORDS = {
  vi: { case: 'Hồ sơ', village: 'thôn', status: 'Tình trạng', due: 'Hạn trả lời', overdue: 'đã quá hạn, xã xin lỗi và đang đôn đốc', steps: 'Diễn biến', answer: 'Trả lời của xã', reason: 'Lý do' },
  en: { case: 'Case', village: 'village', status: 'Status', due: 'Answer due', overdue: 'overdue; the commune apologises and is chasing it', steps: 'History', answer: "The commune's answer", reason: 'Reason' },
} as const;

/** The ready-to-show text of `c` for the person who filed it, at time `now`. */
export function citizenCaseText(c: Case, locale: Locale, now: number): string {
  const w = WORDS[locale];
  const place = /^(thôn|xóm|làng|bản|thon|xom|lang|ban)\s/i.test(c.village) || locale === 'en' ? c.village : `${w.village} ${c.village}`;
  const lines = [`${w.case} ${c.code} (${petitionTypeName(c.petitionType, locale)}) — ${caseCategoryName(c.category, locale)}, ${place}`, `${w.status}: ${CASE_STATUS_WORDS[c.status][locale]}`];
  const closed = c.status === 'resolved' || c.status === 'rejected';
  if (!closed) lines.push(`${w.due}: ${formatDueDate(c.dueAt, locale)}${now > c.dueAt ? ` (${w.overdue})` : ''}`);
  const steps = c.history.flatMap((e) => {
    const label = SHOWN_EVENTS[e.what]?.[locale];
    return label ? [`• ${shortDate(e.at)}: ${label}`] : [];
  });
  lines.push(`${w.steps}:`, ...steps);
  if (c.resolution) lines.push(`${c.status === 'rejected' ? w.reason : w.answer}: ${c.resolution.answer}`);
  return lines.join('\n');
}
