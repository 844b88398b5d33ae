/**
 * The words of the officials' chat commands, in Vietnamese: the welcome after linking, the command
 * list, a case in a list and in full, and the refusals. The command words are the ones the case
 * notices use (civic/cases/notice-text.ts): NHAN, XONG, GIAO, TRACUU.
 */
import { formatVietnameseDate } from '../calendar/format-date';
import { caseCategoryName } from '../cases/categories';
import type { CaseRuleCode } from '../cases/errors';
import { petitionContent, petitionTypeInSentence, petitionTypeName } from '../cases/petition-types';
import type { Case, CaseEventKind, CaseStatus } from '../../store/ports/cases';
import type { Official } from '../../store/ports/officials';

/** the shortest answer XONG takes: "đã xử lý" alone tells the citizen nothing */
export const MIN_ANSWER_LENGTH = 10;

export const COMMAND_LIST = [
  'Các lệnh đồng chí có thể nhắn:',
  '• HOSO (hoặc DS): danh sách hồ sơ đồng chí đang phụ trách',
  '• NHAN <mã hồ sơ>: nhận xử lý hồ sơ',
  '• TRACUU <mã hồ sơ>: xem chi tiết hồ sơ',
  '• GHICHU <mã hồ sơ> <nội dung>: ghi chú nội bộ (công dân không thấy)',
  `• XONG <mã hồ sơ> <nội dung trả lời công dân>: báo đã giải quyết (trả lời ít nhất ${MIN_ANSWER_LENGTH} ký tự)`,
  '• GIAO <mã hồ sơ> <mã hoặc tên cán bộ>: chuyển hồ sơ cho cán bộ khác',
  'Viết có dấu hay không dấu đều được. Mã hồ sơ có dạng PA-7K3M9.',
].join('\n');

export function welcomeText(o: Official): string {
  return [`Kính chào đồng chí ${o.name}.`, 'Tài khoản này đã được liên kết với đồng chí; từ nay đồng chí có thể xử lý phản ánh của công dân ngay trong tin nhắn.', COMMAND_LIST].join('\n');
}

export const TEXT = {
  linkFailed: 'Mã liên kết không đúng hoặc đã hết hạn. Xin đồng chí liên hệ quản trị viên để được cấp mã mới.',
  linkChannel: 'Chỉ liên kết được tài khoản Zalo hoặc Messenger.',
  notLinked: 'Tài khoản này chưa được liên kết với cán bộ nào của xã. Để liên kết, xin nhắn: LIENKET <mã liên kết> (mã do quản trị viên cấp).',
  inactive: 'Tài khoản cán bộ của đồng chí đang tạm ngưng trên hệ thống. Xin liên hệ quản trị viên.',
  noOpenCases: 'Đồng chí hiện không có hồ sơ nào đang chờ xử lý.',
  wrongCode: (typed: string) => `Mã hồ sơ "${typed}" không đúng. Mã hồ sơ có dạng PA-7K3M9, ví dụ: NHAN PA-7K3M9.`,
  missingAnswer: (code: string) =>
    `Xin nhắn kèm nội dung trả lời công dân (ít nhất ${MIN_ANSWER_LENGTH} ký tự), ví dụ:\nXONG ${code} Đã kiểm tra thực địa, hộ ông A đã trả lại lối đi chung.`,
  missingNote: (code: string) => `Xin nhắn kèm nội dung ghi chú, ví dụ: GHICHU ${code} Đã hẹn gặp hộ dân sáng thứ Hai.`,
  missingTarget: (code: string) => `Xin nhắn kèm mã hoặc tên cán bộ nhận hồ sơ, ví dụ: GIAO ${code} dia-chinh-2.`,
  noSuchOfficial: (typed: string) => `Không tìm thấy cán bộ "${typed}" đang làm việc. Xin nhắn mã cán bộ (ví dụ dia-chinh-2) hoặc tên đầy đủ hơn.`,
  manyOfficials: (typed: string, found: Official[]) =>
    [`Có nhiều cán bộ khớp với "${typed}":`, ...found.map((o) => `• ${o.id}: ${o.name}`), 'Xin nhắn lại với mã cán bộ.'].join('\n'),
  accepted: (c: Case) => [`Đồng chí đã nhận xử lý hồ sơ ${c.code}. Hạn xử lý: ${formatVietnameseDate(c.dueAt)}.`, `Khi đã giải quyết, xin nhắn: XONG ${c.code} <nội dung trả lời công dân>`].join('\n'),
  noted: (c: Case) => `Đã ghi chú vào hồ sơ ${c.code} (công dân không thấy ghi chú này).`,
  resolved: (c: Case) => `Đã ghi nhận hồ sơ ${c.code} được giải quyết. Câu trả lời đã được gửi tới công dân, kèm lời mời đánh giá.`,
  transferred: (c: Case, to: Official) => `Đã giao hồ sơ ${c.code} cho đồng chí ${to.name} (${to.id}). Cán bộ này sẽ được báo để nhận xử lý; hạn xử lý giữ nguyên: ${formatVietnameseDate(c.dueAt)}.`,
} as const;

const STATUS: Record<CaseStatus, string> = {
  received: 'mới tiếp nhận, chưa có cán bộ phụ trách',
  assigned: 'đã giao, chờ cán bộ nhận',
  in_progress: 'đang xử lý',
  transferred: 'đã chuyển, chờ cán bộ nhận',
  resolved: 'đã giải quyết',
  rejected: 'không tiếp nhận xử lý',
};

const EVENT: Record<CaseEventKind, string> = {
  received: 'Tiếp nhận',
  assigned: 'Giao cho',
  accepted: 'Nhận xử lý',
  note: 'Ghi chú',
  status: 'Đổi tình trạng',
  transferred: 'Chuyển cho',
  resolved: 'Giải quyết',
  rejected: 'Không tiếp nhận',
  rated: 'Công dân đánh giá',
  reminded: 'Nhắc việc',
  escalated: 'Báo cáo quá hạn',
};

/** Why an action was refused, for the official who asked. */
export function refusalText(code: CaseRuleCode, typed: string, c: Case | null): string {
  switch (code) {
    case 'CASE_NOT_FOUND':
      return `Không tìm thấy hồ sơ ${typed}. Xin kiểm tra lại mã hồ sơ (dạng PA-7K3M9).`;
    case 'CASE_NOT_YOURS':
      return `Hồ sơ ${typed} không do đồng chí phụ trách, nên đồng chí không thực hiện được việc này. Nhắn HOSO để xem hồ sơ của mình.`;
    case 'SUPERVISOR_ONLY':
      return `Hồ sơ ${typed} chưa có cán bộ phụ trách: chỉ Chủ tịch hoặc Phó Chủ tịch UBND xã giao được hồ sơ này.`;
    case 'CASE_CLOSED':
      return `Hồ sơ ${typed} đã kết thúc${c ? ` (${STATUS[c.status]})` : ''}, không thay đổi được nữa.`;
    case 'ALREADY_ASSIGNED':
      return `Hồ sơ ${typed} đã do cán bộ đó phụ trách rồi.`;
    case 'TRANSITION_NOT_ALLOWED':
      return c ? transitionText(c) : `Hồ sơ ${typed} chưa thực hiện được việc này ở tình trạng hiện tại.`;
    case 'INVALID_CASE_INPUT':
    case 'ALREADY_RATED':
      return 'Nội dung chưa hợp lệ (có thể quá dài). Xin rút gọn và nhắn lại.';
  }
}

function transitionText(c: Case): string {
  if (c.status === 'in_progress') return `Đồng chí đã nhận hồ sơ ${c.code} rồi. Khi đã giải quyết, xin nhắn: XONG ${c.code} <nội dung trả lời công dân>`;
  if (c.status === 'transferred') return `Hồ sơ ${c.code} đang chờ cán bộ được chuyển tới nhận (NHAN ${c.code}) trước khi trả lời.`;
  return `Hồ sơ ${c.code} đang ở tình trạng "${STATUS[c.status]}", chưa thực hiện được việc này.`;
}

function place(c: Case): string {
  return /^(thôn|xóm|làng|bản)\s/i.test(c.village) ? c.village : `thôn ${c.village}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** One case in a list: short enough for a button message (Messenger takes 640 characters). */
export function caseLineText(c: Case, now: number): string {
  const late = now > c.dueAt ? ' — ĐÃ QUÁ HẠN' : '';
  return [`${c.code} — ${petitionTypeName(c.petitionType, 'vi')}, ${caseCategoryName(c.category, 'vi')}, ${place(c)}`, `Tình trạng: ${STATUS[c.status]}. Hạn: ${formatVietnameseDate(c.dueAt)}${late}`, clip(petitionContent(c), 200)].join('\n');
}

export function listHeadText(total: number, shown: number): string {
  const more = total > shown ? ` Dưới đây là ${shown} hồ sơ gần hạn nhất; xem hồ sơ khác: TRACUU <mã hồ sơ>.` : '';
  return `Đồng chí đang phụ trách ${total} hồ sơ chưa kết thúc.${more}`;
}

const SHOWN_HISTORY = 10;

/** A case in full, for an official who may see it: content, place, contact, due date, history. */
export function caseDetailText(c: Case, names: ReadonlyMap<string, string>, now: number): string {
  const who = (id: string | undefined) => (id === undefined ? 'chưa có' : (names.get(id) ?? id));
  const lines = [
    `Hồ sơ ${c.code} — ${petitionTypeName(c.petitionType, 'vi')}, ${caseCategoryName(c.category, 'vi')}, ${place(c)}`,
    `Tình trạng: ${STATUS[c.status]}`,
    `Cán bộ phụ trách: ${who(c.assigneeId)}${c.backupId ? `; dự phòng: ${who(c.backupId)}` : ''}`,
    `Hạn xử lý: ${formatVietnameseDate(c.dueAt)}${now > c.dueAt && !isClosed(c) ? ' (ĐÃ QUÁ HẠN)' : ''}`,
    `Nội dung: ${clip(petitionContent(c), 600)}`,
  ];
  if (c.attachments.length > 0) lines.push(`Kèm theo: ${c.attachments.length} ảnh/vị trí (xem trên trang quản trị).`);
  if (c.contact) lines.push(`Người ${petitionTypeInSentence(c.petitionType)}: ${[c.contact.name, c.contact.phone].filter(Boolean).join(', ') || 'không để lại tên'}`);
  else lines.push(`Người ${petitionTypeInSentence(c.petitionType)}: ẩn danh (chỉ trả lời được qua tin nhắn).`);
  lines.push('Diễn biến:');
  // Zalo takes 2000 characters a message: the latest steps matter most.
  const hidden = Math.max(0, c.history.length - SHOWN_HISTORY);
  if (hidden > 0) lines.push(`• (${hidden} bước trước đó, xem trên trang quản trị)`);
  for (const e of c.history.slice(hidden)) {
    const by = e.by === 'citizen' ? 'công dân' : e.by === 'system' ? 'hệ thống' : who(e.by);
    const target = e.officialId ? ` ${who(e.officialId)}` : '';
    const note = e.note ? `: ${clip(e.note, 120)}` : '';
    lines.push(`• ${formatVietnameseDate(e.at, { withTime: true })} — ${EVENT[e.what]}${target} (${by})${note}`);
  }
  if (c.resolution) lines.push(`${c.status === 'rejected' ? 'Lý do' : 'Trả lời công dân'}: ${clip(c.resolution.answer, 500)}`);
  return lines.join('\n');
}

function isClosed(c: Case): boolean {
  return c.status === 'resolved' || c.status === 'rejected';
}
