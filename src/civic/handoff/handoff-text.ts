/**
 * What the hand-off says to the citizen (Vietnamese, with English for an English conversation) and
 * to the officials (Vietnamese; their commands typed without diacritics work too). The words are in
 * locales/<lng>/citizen.json (handoff) and locales/vi/officials.json (handoff).
 */
import { formatVietnameseDate } from '../calendar/format-date';
import type { Handoff, HandoffMessage } from '../../store/ports/handoffs';
import type { Locale } from '../../shared/locale';
import { words } from '../words';

export const localeOfTag = (tag: unknown): Locale => (typeof tag === 'string' && tag.toLowerCase().startsWith('en') ? 'en' : 'vi');

const when = (t: number) => formatVietnameseDate(t, { withTime: true });

const toCitizen = (key: string, locale: Locale, vars?: Record<string, unknown>) => words(`citizen.handoff.${key}`, locale, vars);
const toOfficial = (key: string, vars?: Record<string, unknown>) => words(`officials.handoff.${key}`, 'vi', vars);

/** To the citizen. */
export const CITIZEN_TEXT = {
  /** said by the flow's "handed" step through the action's data: when to expect an answer */
  expect(officeOpensAt: number | null, now: number, locale: Locale): string {
    if (officeOpensAt === null || officeOpensAt <= now) return toCitizen('expect_now', locale);
    return toCitizen('expect_later', locale, { when: when(officeOpensAt) });
  },
  /** every message while the hand-off waits (the first few only, so the person is not flooded) */
  stillWaiting(code: string, locale: Locale): string {
    return toCitizen('still_waiting', locale, { code });
  },
  taken(officialName: string, locale: Locale): string {
    return toCitizen('taken', locale, { name: officialName });
  },
  /** an official's words, relayed */
  fromOfficial(officialName: string, text: string): string {
    return toCitizen('from_official', 'vi', { name: officialName, text });
  },
  ended(reason: Handoff['endReason'], locale: Locale): string {
    return toCitizen(reason === 'quiet' ? 'ended_quiet' : 'ended', locale);
  },
  unanswered(caseCode: string, dueText: string, locale: Locale): string {
    return toCitizen('unanswered', locale, { case: caseCode, due: dueText });
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
/** The hand-off commands, as the officials' help lists them. */
export const handoffCommandList = (): string => toOfficial('command_list');

const topicOf = (h: Handoff) => (h.topic.trim() === '' ? toOfficial('not_given') : h.topic);

/** To the officials. */
export const OFFICIAL_TEXT = {
  request(h: Handoff, recent: string[]): string {
    return [
      toOfficial('request', { code: h.code, channel: channelName(h.channel) }),
      toOfficial('topic', { topic: topicOf(h) }),
      ...(h.village ? [toOfficial('village', { village: h.village })] : []),
      ...(recent.length > 0 ? [toOfficial('recent'), transcriptLines(recent)] : []),
      toOfficial('request_how', { code: h.code }),
    ].join('\n');
  },
  taken(h: Handoff): string {
    const waiting = h.messages.filter((m) => m.from === 'citizen');
    return [
      toOfficial('taken', { code: h.code }),
      toOfficial('topic', { topic: topicOf(h) }),
      ...(waiting.length > 0 ? [toOfficial('waiting'), transcriptLines(waiting.map((m) => m.text))] : []),
      toOfficial('taken_how', { code: h.code }),
    ].join('\n');
  },
  takenBy(h: Handoff, name: string): string {
    return toOfficial('taken_by', { code: h.code, name });
  },
  notYours(code: string): string {
    return toOfficial('not_yours', { code });
  },
  notTaken(code: string): string {
    return toOfficial('not_taken', { code });
  },
  ended(code: string): string {
    return toOfficial('ended', { code });
  },
  unknown(typed: string): string {
    return toOfficial('unknown', { typed });
  },
  missingText(code: string): string {
    return toOfficial('missing_text', { code });
  },
  sent(code: string): string {
    return toOfficial('sent', { code });
  },
  kept(code: string): string {
    return toOfficial('kept', { code });
  },
  endedByYou(code: string): string {
    return toOfficial('ended_by_you', { code });
  },
  endedOther(h: Handoff): string {
    const reason = h.endReason === 'citizen' || h.endReason === 'quiet' || h.endReason === 'unanswered' || h.endReason === 'page_inbox' ? h.endReason : 'other';
    const why = toOfficial(`why.${reason}`, { case: h.caseCode ?? '' }).trim();
    return toOfficial('ended_other', { code: h.code, why });
  },
  citizenWrote(h: Handoff, m: HandoffMessage): string {
    return toOfficial('citizen_wrote', { code: h.code, text: m.text });
  },
} as const;

/** What the citizen who asked for an official reads when they look the hand-off's code up. */
export function handoffStatusText(h: Handoff, locale: Locale): string {
  const w = (key: string, vars?: Record<string, unknown>) => toCitizen(key, locale, vars);
  const status = h.status === 'waiting' ? w('state_waiting') : h.status === 'active' ? w('state_active') : h.endedAt ? w('state_ended_at', { when: when(h.endedAt) }) : w('state_ended');
  const lines = [w('status_heading', { code: h.code, when: when(h.createdAt) }), w('status', { status })];
  if (h.caseCode) lines.push(w('became_case', { case: h.caseCode }));
  else if (h.status === 'ended') lines.push(w('ask_again'));
  return lines.join('\n');
}
