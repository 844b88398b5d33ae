/**
 * The hand-off in the chat, both sides.
 *
 * Officials (from their linked Zalo/Messenger account), typed with or without diacritics:
 *   NHANHT <mã>  (or NHAN HT-…)      take a waiting hand-off
 *   TL <mã> <nội dung>               reply to the citizen
 *   KT <mã>                          end it: the bot answers the citizen again
 *   DSHT                             list the open hand-offs
 * Plain text from an official who holds exactly one active hand-off goes to that citizen: talking
 * to a person should feel like a chat. With two or more held, TL <mã> is needed (they are told so).
 *
 * Citizens: while their hand-off is open the flows do not run; every message is kept for the
 * official (and relayed once one took it). "kết thúc" ends it with a note; "menu" ends it and the
 * flows show the menu.
 */
import { isAppError } from '../../shared/app-error';
import { foldText } from '../../shared/text-fold';
import { normalizeHandoffCode, type Handoff, type HandoffStore } from '../../store/ports/handoffs';
import { CHAT_CHANNELS, type ChatChannel, type Official, type OfficialStore } from '../../store/ports/officials';
import type { HandoffService } from './handoff-service';
import { CITIZEN_TEXT, localeOfTag, OFFICIAL_TEXT } from './handoff-text';

export type HandoffCommand =
  | { kind: 'list' }
  | { kind: 'take' | 'end'; typed: string; code: string | null }
  | { kind: 'reply'; typed: string; code: string | null; text: string };

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

/** Command words, folded and as token sequences. */
const WORDS: Array<{ words: string[]; kind: 'take' | 'reply' | 'end' }> = [
  { words: ['nhanht'], kind: 'take' },
  { words: ['nhan'], kind: 'take' },
  { words: ['tl'], kind: 'reply' },
  { words: ['tra', 'loi'], kind: 'reply' },
  { words: ['traloi'], kind: 'reply' },
  { words: ['kt'], kind: 'end' },
  { words: ['ket', 'thuc'], kind: 'end' },
  { words: ['ketthuc'], kind: 'end' },
];

/**
 * The hand-off command in an official's text; null when it is none. A command word must be
 * followed by an HT code ("HT-7K3M9", "ht 7k3m9"): "NHAN PA-…" stays a case command and
 * "kết thúc" alone stays the citizen's word.
 */
export function parseHandoffCommand(input: string): HandoffCommand | null {
  const text = input.normalize('NFC').replace(ZERO_WIDTH, '').trim();
  const folded = foldText(text);
  if (folded === 'dsht' || folded === 'ds ht') return { kind: 'list' };
  const toks = [...text.matchAll(/\S+/g)].map((m) => ({ text: m[0], end: (m.index ?? 0) + m[0].length }));
  const word = WORDS.find((w) => w.words.every((x, i) => toks[i] !== undefined && foldText(toks[i].text).replace(/ /g, '') === x));
  if (!word) return null;
  // The code: "HT-7K3M9" in one word, or "HT" then "7K3M9".
  let at = word.words.length;
  const first = toks[at];
  if (!first || !/^ht/i.test(first.text.replace(/[^\p{L}\p{N}]/gu, ''))) return null;
  let typed = first.text;
  let end = first.end;
  if (/^ht[-.]?$/i.test(first.text) && toks[at + 1]) {
    at++;
    typed = `${first.text} ${toks[at].text}`;
    end = toks[at].end;
  }
  const code = normalizeHandoffCode(typed);
  const rest = text.slice(end).trim();
  if (word.kind === 'reply') return { kind: 'reply', typed, code, text: rest };
  // "NHANHT HT-… nhé" is still a take; a longer sentence is chat.
  if (rest.split(/\s+/).filter(Boolean).length > 2) return null;
  return { kind: word.kind, typed, code };
}

export interface HandoffChatDeps {
  service: HandoffService;
  handoffs: HandoffStore;
  officials: OfficialStore;
}

export interface HandoffChatMessage {
  channel: string;
  userId: string;
  /** the platform's message id: a relayed message is recorded once however often it is retried */
  eventId: string;
  /** when it arrived (ms) */
  at: number;
  /** the text typed, or a short description of what was sent ("[image]") */
  text: string;
  payload?: string;
}

type Reply = { type: 'text'; text: string };
const say = (text: string): { replies: Reply[] } => ({ replies: [{ type: 'text', text }] });

async function officialOf(deps: HandoffChatDeps, msg: HandoffChatMessage): Promise<Official | null> {
  if (!(CHAT_CHANNELS as readonly string[]).includes(msg.channel)) return null;
  const o = await deps.officials.findByAccount(msg.channel as ChatChannel, msg.userId);
  return o?.active ? o : null;
}

/** An official's hand-off command; null when the message is none or the sender is no active official. */
export async function handleHandoffCommand(deps: HandoffChatDeps, msg: HandoffChatMessage): Promise<{ replies: Reply[] } | null> {
  if (msg.payload) return null;
  const command = parseHandoffCommand(msg.text);
  if (!command) return null;
  const official = await officialOf(deps, msg);
  if (!official) return null;
  if (command.kind === 'list') return say(await listText(deps));
  if (command.code === null) return say(OFFICIAL_TEXT.unknown(command.typed));
  const code = command.code;
  try {
    switch (command.kind) {
      case 'take': {
        const h = await deps.service.take(code, official);
        return say(OFFICIAL_TEXT.taken(h));
      }
      case 'reply': {
        if (command.text === '') return say(OFFICIAL_TEXT.missingText(code));
        const { delivered } = await deps.service.reply(code, { official }, command.text, msg.eventId);
        return say(delivered === 'now' ? OFFICIAL_TEXT.sent(code) : OFFICIAL_TEXT.kept(code));
      }
      case 'end':
        await deps.service.end(code, { official });
        return say(OFFICIAL_TEXT.endedByYou(code));
    }
  } catch (e) {
    if (!isAppError(e)) throw e;
    return say(await refusal(deps, e.code, code));
  }
}

async function refusal(deps: HandoffChatDeps, errorCode: string, code: string): Promise<string> {
  switch (errorCode) {
    case 'HANDOFF_NOT_FOUND':
      return OFFICIAL_TEXT.unknown(code);
    case 'HANDOFF_TAKEN': {
      const h = await deps.handoffs.findByCode(code);
      const holder = h?.officialId ? await deps.officials.get(h.officialId) : null;
      return h && holder ? OFFICIAL_TEXT.takenBy(h, holder.name) : OFFICIAL_TEXT.notYours(code);
    }
    case 'HANDOFF_NOT_YOURS':
      return OFFICIAL_TEXT.notYours(code);
    case 'HANDOFF_NOT_TAKEN':
      return OFFICIAL_TEXT.notTaken(code);
    case 'HANDOFF_ENDED': {
      const h = await deps.handoffs.findByCode(code);
      return h ? OFFICIAL_TEXT.endedOther(h) : OFFICIAL_TEXT.ended(code);
    }
    default:
      return OFFICIAL_TEXT.unknown(code);
  }
}

async function listText(deps: HandoffChatDeps): Promise<string> {
  const open = await deps.handoffs.listOpen();
  if (open.length === 0) return 'Không có yêu cầu gặp cán bộ nào đang mở.';
  const names = new Map((await deps.officials.list()).map((o) => [o.id, o.name]));
  const lines = open.slice(0, 10).map((h) => `• ${h.code} — ${h.status === 'waiting' ? 'chờ nhận' : `do ${names.get(h.officialId ?? '') ?? h.officialId} tiếp`}: ${h.topic || '(không nêu)'}`);
  return [`Đang mở ${open.length} yêu cầu gặp cán bộ:`, ...lines, 'Nhận: NHANHT <mã>.'].join('\n');
}

/**
 * Plain words from an official who holds exactly one active hand-off: they go to that citizen.
 * Null when the sender holds none (the message goes on to the flows).
 */
export async function relayOfficialPlainText(deps: HandoffChatDeps, msg: HandoffChatMessage): Promise<{ replies: Reply[] } | null> {
  if (msg.payload || msg.text.trim() === '') return null;
  const official = await officialOf(deps, msg);
  if (!official) return null;
  const held = await deps.service.heldBy(official.id);
  if (held.length === 0) return null;
  if (held.length > 1) return say(`Ông/bà đang tiếp ${held.length} người (${held.map((h) => h.code).join(', ')}): gõ TL <mã> <nội dung> để chọn người nhận.`);
  const h = held[0];
  try {
    const { delivered } = await deps.service.reply(h.code, { official }, msg.text, msg.eventId);
    // Silence when it went out: the official is chatting. A word only when it has to wait.
    return delivered === 'now' ? { replies: [] } : say(OFFICIAL_TEXT.kept(h.code));
  } catch (e) {
    if (!isAppError(e)) throw e;
    return say(await refusal(deps, e.code, h.code));
  }
}

const END_WORDS = new Set(['ket thuc', 'thoat', 'end', 'stop', 'dung', 'dung lai', 'ket thuc tro chuyen']);
const MENU_WORDS = new Set(['menu', 'main menu', 'danh muc', 'trang chu', 've menu', 'quay lai menu', 'xem menu']);
const MENU_PAYLOADS = new Set(['CMD_MENU', 'CMD_RESTART']);
const AGAIN_WORDS = new Set(['gap can bo', 'can bo truc', 'noi chuyen voi can bo', 'gap nguoi that', 'talk to an official', 'official', 'human']);

/**
 * A citizen's message while their hand-off is open: kept (and relayed), with a word back while
 * nobody took it yet. Null when they have no open hand-off, or when they asked for the menu (the
 * hand-off ends and the flows answer).
 */
export async function handleCitizenDuringHandoff(deps: HandoffChatDeps, msg: HandoffChatMessage): Promise<{ replies: Reply[] } | null> {
  const h = await deps.handoffs.findOpen(msg.channel, msg.userId);
  if (!h) return null;
  const folded = foldText(msg.text);
  const locale = localeOfTag(h.locale);
  const leaving = (msg.payload && MENU_PAYLOADS.has(msg.payload)) || MENU_WORDS.has(folded) ? 'menu' : END_WORDS.has(folded) ? 'end' : null;
  if (leaving) {
    await endByCitizen(deps, h);
    return leaving === 'menu' ? null : say(CITIZEN_TEXT.ended('citizen', locale));
  }
  const again = AGAIN_WORDS.has(folded) || msg.payload === 'MENU_OFFICIAL' || msg.payload === 'CMD_OFFICIAL';
  const updated = await deps.service.citizenWrote(h, { id: msg.eventId, at: msg.at, text: msg.text });
  if (!updated) return null; // ended meanwhile: the flows answer
  // While nobody took it, a word back for the first message and for a repeated request; later ones are just kept.
  const fromCitizen = updated.messages.filter((m) => m.from === 'citizen').length;
  if (updated.status === 'waiting' && (again || fromCitizen === 1)) return say(CITIZEN_TEXT.stillWaiting(updated.code, locale));
  return { replies: [] };
}

async function endByCitizen(deps: HandoffChatDeps, h: Handoff): Promise<void> {
  try {
    await deps.service.end(h.id, { citizen: true });
  } catch (e) {
    // Ended meanwhile (the official, the quiet time): the citizen's wish is met either way.
    if (!isAppError(e) || e.code !== 'HANDOFF_ENDED') throw e;
  }
}
