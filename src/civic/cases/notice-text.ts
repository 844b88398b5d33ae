/**
 * The words of case notices, in Vietnamese: to the official who must act (with the chat command to
 * type), to a supervisor when a case is overdue or unassigned, to the citizen when their case moves.
 * The commands (NHAN, XONG, GIAO, TRACUU, DANHGIA) are parsed by the officials' chat flow.
 */
import type { Case } from '../../store/ports/cases';
import { formatVietnameseDate } from '../calendar/format-date';
import { caseCategoryName } from './categories';
import type { CaseNoticeKind } from './notices';
import { PETITION_TYPE_NAMES, petitionContent } from './petition-types';
import { CASE_STATUS_WORDS } from './status-words';

/** A button under a notice (the platforms' Choice). */
export interface NoticeChoice {
  title: string;
  payload: string;
}

/** What a platform template gets as its parameters (the channels' CaseUpdateParams). */
export interface CaseNoticeParams {
  code: string;
  /** a few words on what happened */
  status: string;
  /** the due date, "Thứ Hai, 16/03/2026" */
  dueDate: string;
}

/** Zalo takes 2000 characters a message: a long answer is cut, the rest is in TRACUU. */
const MAX_ANSWER = 1200;

export type OfficialNoticeKind = 'assigned' | 'remind_half' | 'remind_day_before' | 'status_changed';

/** What a platform template gets as its parameters: the same three values whatever the notice. */
export type NoticeParams = CaseNoticeParams;

function about(c: Case): string {
  return `${c.code} (${caseCategoryName(c.category, 'vi')}, ${c.village})`;
}

/** "kiến nghị" inside a sentence, "Kiến nghị" at its start: the case's type, as officials and citizens read it. */
function typeInSentence(c: Case): string {
  return PETITION_TYPE_NAMES[c.petitionType].viInSentence;
}
function typeAtStart(c: Case): string {
  return PETITION_TYPE_NAMES[c.petitionType].vi;
}

function due(c: Case): string {
  return formatVietnameseDate(c.dueAt);
}

/** How the official acts from here: accept first, then answer. */
function howToAct(c: Case): string {
  if (c.status === 'assigned' || c.status === 'transferred') return `Để nhận xử lý, xin nhắn: NHAN ${c.code}`;
  return `Khi đã giải quyết, xin nhắn: XONG ${c.code} <nội dung trả lời công dân>`;
}

/** A notice to the official who holds (or held) the case. */
export function officialNoticeText(kind: OfficialNoticeKind, c: Case, name: string): string {
  const greet = `Kính gửi đồng chí ${name},`;
  switch (kind) {
    case 'assigned':
      return [greet, `Đồng chí được giao xử lý ${typeInSentence(c)} ${about(c)}.`, `Nội dung: ${clip(petitionContent(c), 300)}`, `Hạn xử lý: ${due(c)}.`, howToAct(c), 'Trân trọng.'].join('\n');
    case 'remind_half':
      return [greet, `Nhắc việc: ${typeInSentence(c)} ${about(c)} đã qua một nửa thời hạn xử lý.`, `Hạn xử lý: ${due(c)}.`, howToAct(c), 'Trân trọng.'].join('\n');
    case 'remind_day_before':
      return [greet, `Nhắc việc: ${typeInSentence(c)} ${about(c)} sẽ hết hạn xử lý sau một ngày làm việc, vào ${formatVietnameseDate(c.dueAt, { withTime: true })}.`, howToAct(c), 'Trân trọng.'].join('\n');
    case 'status_changed':
      return [greet, `${typeAtStart(c)} ${about(c)} đã có thay đổi: ${CASE_STATUS_WORDS[c.status].viInSentence}.`, `Xem chi tiết, xin nhắn: TRACUU ${c.code}`, 'Trân trọng.'].join('\n');
  }
}

/** To a supervisor or the chair: a case is overdue (`n` working days past its due date), or nobody holds it. */
export function supervisorNoticeText(kind: 'overdue' | 'needs_assignee', c: Case, name: string, extra: { assigneeName?: string; n?: number } = {}): string {
  const greet = `Kính gửi đồng chí ${name},`;
  if (kind === 'needs_assignee') {
    return [greet, `${typeAtStart(c)} ${about(c)} chưa có cán bộ phụ trách.`, `Hạn xử lý: ${due(c)}.`, `Để giao việc, xin nhắn: GIAO ${c.code} <mã cán bộ>`, 'Trân trọng.'].join('\n');
  }
  const late = extra.n ? ` (đã quá ${extra.n} ngày làm việc)` : '';
  return [
    greet,
    `Báo cáo quá hạn: ${typeInSentence(c)} ${about(c)} đã hết hạn xử lý vào ${due(c)}${late} mà chưa được giải quyết.`,
    `Cán bộ phụ trách: ${extra.assigneeName ?? 'chưa có'}.`,
    `Để giao lại, xin nhắn: GIAO ${c.code} <mã cán bộ>. Xem chi tiết: TRACUU ${c.code}`,
    'Trân trọng.',
  ].join('\n');
}


/** A notice to the citizen who filed the case. */
export function citizenNoticeText(kind: Exclude<CaseNoticeKind, 'needs_assignee'>, c: Case): string {
  const head = 'UBND xã trân trọng thông báo:';
  switch (kind) {
    case 'resolved':
      return [head, `${typeAtStart(c)} ${about(c)} của Ông/Bà đã được giải quyết.`, c.resolution ? `Trả lời của xã: ${clip(c.resolution.answer, MAX_ANSWER)}` : '', `Xem lại, xin nhắn: tra cứu ${c.code}`].filter(Boolean).join('\n');
    case 'rate_request':
      return [
        `Xin Ông/Bà đánh giá mức độ hài lòng với việc giải quyết ${typeInSentence(c)} ${c.code}:`,
        `bấm nút "${RATE_BUTTON_TITLE}" bên dưới, hoặc nhắn "đánh giá" rồi chọn điểm từ 1 đến 5 (5 là rất hài lòng) và nhập mã ${c.code} khi được hỏi.`,
        'Xin cảm ơn Ông/Bà.',
      ].join('\n');
    case 'status_changed':
    case 'assigned': {
      const lines = [head, `${typeAtStart(c)} ${about(c)} của Ông/Bà ${CASE_STATUS_WORDS[c.status].viInSentence}.`];
      if (c.status === 'rejected' && c.resolution) lines.push(`Lý do: ${clip(c.resolution.answer, MAX_ANSWER)}`);
      if (c.status !== 'rejected' && c.status !== 'resolved') lines.push(`Hạn trả lời: ${due(c)}.`);
      lines.push(`Xem tình trạng, xin nhắn: tra cứu ${c.code}`);
      return lines.join('\n');
    }
  }
}

const RATE_BUTTON_TITLE = 'Đánh giá';

/**
 * The buttons a citizen notice carries: the rating invitation's one tap starts flows/rating.yaml for
 * this case (`RATE_SERVICE:<code>`, the code in `payload_value`), so the code is not asked for.
 */
export function citizenNoticeChoices(kind: Exclude<CaseNoticeKind, 'needs_assignee'>, c: Case): NoticeChoice[] {
  return kind === 'rate_request' ? [{ title: RATE_BUTTON_TITLE, payload: `RATE_SERVICE:${c.code}` }] : [];
}

/** The values a Messenger Utility or Zalo ZNS template is filled with. */
export function noticeParams(c: Case, what: string): NoticeParams {
  return { code: c.code, status: what, dueDate: due(c) };
}

export function statusWords(c: Case): string {
  return CASE_STATUS_WORDS[c.status].viInSentence;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
