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
import { words } from './words';

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

/** The steps a citizen is shown (locales/<lng>/citizen.json case.event); notes, reminders and escalations are the commune's own business. */
const SHOWN_EVENTS: ReadonlySet<CaseEventKind> = new Set(['received', 'assigned', 'accepted', 'transferred', 'resolved', 'rejected', 'rated']);

/** The ready-to-show text of `c` for the person who filed it, at time `now`. */
export function citizenCaseText(c: Case, locale: Locale, now: number): string {
  const w = (key: string, vars?: Record<string, unknown>) => words(`citizen.case.${key}`, locale, vars);
  const place = /^(thôn|xóm|làng|bản|thon|xom|lang|ban)\s/i.test(c.village) ? c.village : w('in_village', { village: c.village });
  const lines = [
    w('heading', { code: c.code, type: petitionTypeName(c.petitionType, locale), category: caseCategoryName(c.category, locale), place }),
    w('status', { status: CASE_STATUS_WORDS[c.status][locale] }),
  ];
  const closed = c.status === 'resolved' || c.status === 'rejected';
  if (!closed) lines.push(w(now > c.dueAt ? 'due_overdue' : 'due', { date: formatDueDate(c.dueAt, locale) }));
  const steps = c.history.flatMap((e) => (SHOWN_EVENTS.has(e.what) ? [w('step', { date: shortDate(e.at), what: w(`event.${e.what}`) })] : []));
  lines.push(w('steps'), ...steps);
  if (c.resolution) lines.push(w(c.status === 'rejected' ? 'reason' : 'answer', { text: c.resolution.answer }));
  return lines.join('\n');
}
