/**
 * What the hand-off says to the citizen (Vietnamese, with English for an English conversation) and
 * to the officials (Vietnamese; their commands typed without diacritics work too).
 */
import { formatVietnameseDate } from '../calendar/format-date';
import type { Handoff, HandoffMessage } from '../../store/ports/handoffs';
import type { Locale } from '../../shared/locale';

export const localeOfTag = (tag: unknown): Locale => (typeof tag === 'string' && tag.toLowerCase().startsWith('en') ? 'en' : 'vi');

const when = (t: number) => formatVietnameseDate(t, { withTime: true });

/** To the citizen. */
export const CITIZEN_TEXT = {
  /** said by the flow's "handed" step through the action's data: when to expect an answer */
  expect(officeOpensAt: number | null, now: number, locale: Locale): string {
    if (officeOpensAt === null || officeOpensAt <= now) {
      return locale === 'en' ? 'An official will answer here shortly.' : 'Cán bộ sẽ trả lời ông/bà ngay tại đây trong ít phút.';
    }
    return locale === 'en'
      ? `The office is closed now; an official will answer here from ${when(officeOpensAt)}.`
      : `Hiện ngoài giờ làm việc; cán bộ sẽ trả lời ông/bà tại đây từ ${when(officeOpensAt)}.`;
  },
  /** every message while the hand-off waits (the first few only, so the person is not flooded) */
  stillWaiting(code: string, locale: Locale): string {
    return locale === 'en'
      ? `Your message is kept for the official (${code}); the assistant is paused. Write "end" to go back to the assistant.`
      : `Tin nhắn của ông/bà đã được chuyển cho cán bộ (mã ${code}); trợ lý tự động đang tạm dừng. Gõ "kết thúc" để quay lại trợ lý tự động.`;
  },
  taken(officialName: string, locale: Locale): string {
    return locale === 'en' ? `Official ${officialName} is now answering you here.` : `Cán bộ ${officialName} đang trả lời ông/bà tại đây. Cảm ơn ông/bà đã chờ.`;
  },
  /** an official's words, relayed */
  fromOfficial(officialName: string, text: string): string {
    return `Cán bộ ${officialName}: ${text}`;
  },
  ended(reason: Handoff['endReason'], locale: Locale): string {
    if (reason === 'quiet') {
      return locale === 'en'
        ? 'The conversation with the official has closed after a quiet while. The assistant answers again: write "menu" for the main menu, or "talk to an official" to ask again.'
        : 'Cuộc trò chuyện với cán bộ đã khép lại vì một thời gian không có tin nhắn. Trợ lý tự động hoạt động lại: gõ "menu" để xem danh mục, hoặc "gặp cán bộ" nếu ông/bà cần hỏi thêm. Cảm ơn ông/bà!';
    }
    return locale === 'en'
      ? 'The conversation with the official has ended. The assistant answers again: write "menu" for the main menu. Thank you!'
      : 'Cuộc trò chuyện với cán bộ đã kết thúc. Trợ lý tự động hoạt động lại: gõ "menu" để xem danh mục. Cảm ơn ông/bà!';
  },
  unanswered(caseCode: string, dueText: string, locale: Locale): string {
    return locale === 'en'
      ? `Sorry, no official could answer in time. Your request is now recorded as petition ${caseCode}; the commune will answer by ${dueText}. Write "look up ${caseCode}" to follow it. The assistant answers again.`
      : `Xin lỗi ông/bà, chưa có cán bộ trả lời kịp. Yêu cầu của ông/bà đã được ghi thành hồ sơ ${caseCode}; xã sẽ trả lời trước ${dueText}. Ông/bà gõ "tra cứu ${caseCode}" để theo dõi. Trợ lý tự động hoạt động lại.`;
  },
} as const;

/** The last `n` lines of a transcript, one per line, for an official. */
export function transcriptLines(lines: string[], n = 10): string {
  return lines
    .slice(-n)
    .map((l) => `• ${l.length > 300 ? `${l.slice(0, 297)}…` : l}`)
    .join('\n');
}

const channelName = (c: string) => (c === 'zalo' ? 'Zalo' : c === 'messenger' ? 'Messenger' : c);

/** What HUONGDAN lists about hand-offs, after the case commands. */
export const HANDOFF_COMMAND_LIST = [
  'Người dân cần gặp cán bộ (mã HT-…):',
  '• DSHT: các yêu cầu đang mở',
  '• NHANHT <mã>: nhận tiếp người dân',
  '• TL <mã> <nội dung>: trả lời (nhắn thẳng khi chỉ đang tiếp một người)',
  '• KT <mã>: kết thúc, trợ lý trả lời lại',
].join('\n');

/** To the officials. */
export const OFFICIAL_TEXT = {
  request(h: Handoff, recent: string[]): string {
    const topic = h.topic.trim() === '' ? '(không nêu)' : h.topic;
    const where = [h.village ? `Thôn: ${h.village}` : null].filter(Boolean).join('\n');
    return [
      `[Gặp cán bộ] ${h.code} — người dân trên ${channelName(h.channel)} cần gặp cán bộ.`,
      `Nội dung: ${topic}`,
      ...(where ? [where] : []),
      ...(recent.length > 0 ? ['Tin nhắn gần đây:', transcriptLines(recent)] : []),
      `Nhận: NHANHT ${h.code}. Trả lời: TL ${h.code} <nội dung> (hoặc nhắn thẳng khi chỉ đang tiếp một người). Kết thúc: KT ${h.code}.`,
    ].join('\n');
  },
  taken(h: Handoff): string {
    const waiting = h.messages.filter((m) => m.from === 'citizen');
    return [
      `Ông/bà đã nhận ${h.code}. Trợ lý tự động đã dừng với người dân này.`,
      `Nội dung: ${h.topic.trim() === '' ? '(không nêu)' : h.topic}`,
      ...(waiting.length > 0 ? ['Tin nhắn đang chờ:', transcriptLines(waiting.map((m) => m.text))] : []),
      `Trả lời: TL ${h.code} <nội dung> (hoặc nhắn thẳng). Kết thúc: KT ${h.code}.`,
    ].join('\n');
  },
  takenBy(h: Handoff, name: string): string {
    return `${h.code} đã do cán bộ ${name} nhận.`;
  },
  notYours(code: string): string {
    return `${code} không do ông/bà tiếp nhận: chỉ cán bộ đã nhận (NHANHT ${code}) mới trả lời được.`;
  },
  notTaken(code: string): string {
    return `${code} chưa có ai nhận. Gõ NHANHT ${code} để nhận trước khi trả lời.`;
  },
  ended(code: string): string {
    return `${code} đã kết thúc.`;
  },
  unknown(typed: string): string {
    return `Không tìm thấy yêu cầu gặp cán bộ "${typed}". Mã có dạng HT-XXXXX.`;
  },
  missingText(code: string): string {
    return `Thiếu nội dung. Gõ: TL ${code} <nội dung trả lời>.`;
  },
  sent(code: string): string {
    return `Đã chuyển đến người dân (${code}).`;
  },
  kept(code: string): string {
    return `Chưa gửi được ngay (${code}): người dân đã quá thời hạn nhắn tin của nền tảng. Tin sẽ đến khi người dân nhắn lại.`;
  },
  endedByYou(code: string): string {
    return `Đã kết thúc ${code}; trợ lý tự động trả lời người dân trở lại.`;
  },
  endedOther(h: Handoff): string {
    const why = h.endReason === 'citizen' ? 'người dân đã kết thúc' : h.endReason === 'quiet' ? 'không có tin nhắn trong thời gian chờ' : h.endReason === 'unanswered' ? `không ai nhận kịp; đã mở hồ sơ ${h.caseCode ?? ''}`.trim() : h.endReason === 'page_inbox' ? 'cán bộ đã trả lời người dân trực tiếp trong hộp thư Trang (Page Inbox); tiếp tục ở đó' : 'đã kết thúc';
    return `${h.code} đã kết thúc (${why}).`;
  },
  citizenWrote(h: Handoff, m: HandoffMessage): string {
    return `[${h.code}] Người dân: ${m.text}`;
  },
} as const;

/** What the citizen who asked for an official reads when they look the hand-off's code up. */
export function handoffStatusText(h: Handoff, locale: Locale): string {
  const en = locale === 'en';
  const head = en ? `Request to talk to an official ${h.code} (${when(h.createdAt)})` : `Yêu cầu gặp cán bộ ${h.code} (gửi lúc ${when(h.createdAt)})`;
  const label = en ? 'Status' : 'Tình trạng';
  let status: string;
  if (h.status === 'waiting') status = en ? 'waiting for an official to take it' : 'đang chờ cán bộ nhận';
  else if (h.status === 'active') status = en ? 'an official is answering you in this chat' : 'cán bộ đang trả lời ông/bà trong cuộc trò chuyện này';
  else status = en ? `ended${h.endedAt ? ` (${when(h.endedAt)})` : ''}` : `đã kết thúc${h.endedAt ? ` (${when(h.endedAt)})` : ''}`;
  const lines = [head, `${label}: ${status}`];
  if (h.caseCode) {
    lines.push(
      en
        ? `Nobody could answer in time, so it was recorded as petition ${h.caseCode}: write "look up ${h.caseCode}" to follow it.`
        : `Chưa có cán bộ trả lời kịp nên yêu cầu đã được ghi thành hồ sơ ${h.caseCode}: ông/bà gõ "tra cứu ${h.caseCode}" để theo dõi.`,
    );
  } else if (h.status === 'ended') {
    lines.push(en ? 'To talk to an official again, write "talk to an official".' : 'Nếu cần hỏi thêm, ông/bà gõ "gặp cán bộ".');
  }
  return lines.join('\n');
}
