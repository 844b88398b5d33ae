/**
 * The words of the officials' chat commands, in Vietnamese: the welcome after linking, the command
 * list, a case in a list and in full, and the refusals. The command words are the ones the case
 * notices use (civic/cases/notice-text.ts): NHAN, XONG, GIAO, TRACUU. The words are in
 * locales/vi/officials.json (commands).
 */
import { formatVietnameseDate } from '../calendar/format-date';
import { caseCategoryName } from '../cases/categories';
import type { CaseRuleCode } from '../cases/errors';
import { petitionContent, petitionTypeInSentence, petitionTypeName } from '../cases/petition-types';
import type { Case } from '../../store/ports/cases';
import type { Official } from '../../store/ports/officials';
import { words } from '../words';

/** the shortest answer XONG takes: "đã xử lý" alone tells the citizen nothing */
export const MIN_ANSWER_LENGTH = 10;

const say = (key: string, vars?: Record<string, unknown>) => words(`officials.commands.${key}`, 'vi', vars);

/** The officials' commands, as the help lists them. */
export const commandList = (): string => say('list', { min: MIN_ANSWER_LENGTH });

export function welcomeText(o: Official): string {
  return [say('welcome', { name: o.name }), commandList()].join('\n');
}

export const TEXT = {
  get linkFailed() {
    return say('link_failed');
  },
  get linkChannel() {
    return say('link_channel');
  },
  get notLinked() {
    return say('not_linked');
  },
  get inactive() {
    return say('inactive');
  },
  get noOpenCases() {
    return say('no_open_cases');
  },
  wrongCode: (typed: string) => say('wrong_code', { typed }),
  missingAnswer: (code: string) => say('missing_answer', { code, min: MIN_ANSWER_LENGTH }),
  missingNote: (code: string) => say('missing_note', { code }),
  missingTarget: (code: string) => say('missing_target', { code }),
  noSuchOfficial: (typed: string) => say('no_such_official', { typed }),
  manyOfficials: (typed: string, found: Official[]) =>
    [say('many_officials', { typed }), ...found.map((o) => say('many_officials_item', { id: o.id, name: o.name })), say('many_officials_end')].join('\n'),
  accepted: (c: Case) => say('accepted', { code: c.code, due: formatVietnameseDate(c.dueAt) }),
  noted: (c: Case) => say('noted', { code: c.code }),
  resolved: (c: Case) => say('resolved', { code: c.code }),
  transferred: (c: Case, to: Official) => say('transferred', { code: c.code, name: to.name, id: to.id, due: formatVietnameseDate(c.dueAt) }),
} as const;

const statusOf = (c: Case) => say(`status.${c.status}`);

/** Why an action was refused, for the official who asked. */
export function refusalText(code: CaseRuleCode, typed: string, c: Case | null): string {
  switch (code) {
    case 'CASE_CLOSED':
      return c ? say('refusal.CASE_CLOSED_status', { typed, status: statusOf(c) }) : say('refusal.CASE_CLOSED', { typed });
    case 'TRANSITION_NOT_ALLOWED':
      return c ? transitionText(c) : say('refusal.TRANSITION_NOT_ALLOWED', { typed });
    case 'INVALID_CASE_INPUT':
    case 'ALREADY_RATED':
      return say('refusal.INVALID_CASE_INPUT');
    case 'CASE_NOT_FOUND':
    case 'CASE_NOT_YOURS':
    case 'SUPERVISOR_ONLY':
    case 'ALREADY_ASSIGNED':
      return say(`refusal.${code}`, { typed });
  }
}

function transitionText(c: Case): string {
  if (c.status === 'in_progress' || c.status === 'transferred') return say(`transition.${c.status}`, { code: c.code });
  return say('transition.other', { code: c.code, status: statusOf(c) });
}

function place(c: Case): string {
  return /^(thôn|xóm|làng|bản)\s/i.test(c.village) ? c.village : say('in_village', { village: c.village });
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const headingVars = (c: Case) => ({ code: c.code, type: petitionTypeName(c.petitionType, 'vi'), category: caseCategoryName(c.category, 'vi'), place: place(c) });

/** One case in a list: short enough for a button message (Messenger takes 640 characters). */
export function caseLineText(c: Case, now: number): string {
  const status = say(now > c.dueAt ? 'line_status_late' : 'line_status', { status: statusOf(c), due: formatVietnameseDate(c.dueAt) });
  return [say('line_heading', headingVars(c)), status, clip(petitionContent(c), 200)].join('\n');
}

export function listHeadText(total: number, shown: number): string {
  return say(total > shown ? 'list_head_more' : 'list_head', { total, shown });
}

const SHOWN_HISTORY = 10;

/** A case in full, for an official who may see it: content, place, contact, due date, history. */
export function caseDetailText(c: Case, names: ReadonlyMap<string, string>, now: number): string {
  const who = (id: string | undefined) => (id === undefined ? say('nobody') : (names.get(id) ?? id));
  const type = petitionTypeInSentence(c.petitionType);
  const lines = [
    say('detail_heading', headingVars(c)),
    say('detail_status', { status: statusOf(c) }),
    c.backupId ? say('detail_assignee_backup', { who: who(c.assigneeId), backup: who(c.backupId) }) : say('detail_assignee', { who: who(c.assigneeId) }),
    say(now > c.dueAt && !isClosed(c) ? 'detail_due_late' : 'detail_due', { due: formatVietnameseDate(c.dueAt) }),
    say('detail_content', { content: clip(petitionContent(c), 600) }),
  ];
  if (c.attachments.length > 0) lines.push(say('detail_attachments', { items: c.attachments.length }));
  if (c.contact) lines.push(say('detail_contact', { type, contact: [c.contact.name, c.contact.phone].filter(Boolean).join(', ') || say('no_name') }));
  else lines.push(say('detail_anonymous', { type }));
  lines.push(say('detail_steps'));
  // Zalo takes 2000 characters a message: the latest steps matter most.
  const hidden = Math.max(0, c.history.length - SHOWN_HISTORY);
  if (hidden > 0) lines.push(say('detail_hidden', { hidden }));
  for (const e of c.history.slice(hidden)) {
    const by = e.by === 'citizen' ? say('by_citizen') : e.by === 'system' ? say('by_system') : who(e.by);
    const target = e.officialId ? ` ${who(e.officialId)}` : '';
    const note = e.note ? `: ${clip(e.note, 120)}` : '';
    lines.push(say('detail_step', { when: formatVietnameseDate(e.at, { withTime: true }), what: say(`event.${e.what}`), target, by, note }));
  }
  if (c.resolution) lines.push(say(c.status === 'rejected' ? 'detail_reason' : 'detail_answer', { text: clip(c.resolution.answer, 500) }));
  return lines.join('\n');
}

function isClosed(c: Case): boolean {
  return c.status === 'resolved' || c.status === 'rejected';
}
