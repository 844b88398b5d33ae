/**
 * Reading an official's chat command: the words the case notices tell officials to send (NHAN, XONG,
 * GIAO, TRACUU — see civic/cases/notice-text.ts), plus GHICHU and the list of one's own cases, typed
 * with or without diacritics, in any case, NFC or NFD, with extra spaces; and the payloads of the
 * buttons the replies offer. Pure: no store, no clock.
 */
import { foldText } from '../../shared/text-fold';
import { normalizeCaseCode } from '../../store/ports/cases';

/** Every button payload of this module starts with this, so other payloads are left to the flows. */
export const OFFICIAL_PAYLOAD_PREFIX = 'OFFICIAL_';
export const OFFICIAL_PAYLOADS = {
  list: 'OFFICIAL_LIST',
  accept: (code: string) => `OFFICIAL_ACCEPT:${code}`,
  view: (code: string) => `OFFICIAL_VIEW:${code}`,
} as const;

/**
 * The code as typed (`typed`) and its stored form (`code`), null when it cannot be a case code:
 * the handler answers that with "wrong code" rather than passing the message on.
 */
export interface TypedCode {
  typed: string;
  code: string | null;
}

export type OfficialCommand =
  | { kind: 'list' }
  | { kind: 'help' }
  | { kind: 'accept'; code: TypedCode }
  | { kind: 'view'; code: TypedCode }
  | { kind: 'note'; code: TypedCode; text: string }
  | { kind: 'resolve'; code: TypedCode; text: string }
  | { kind: 'transfer'; code: TypedCode; target: string };

type CodeCommand = 'accept' | 'view' | 'note' | 'resolve' | 'transfer';

/** The command words, folded, as token sequences: "GHICHU" and "ghi chú" both work. */
const KEYWORDS: Array<{ words: string[]; kind: CodeCommand }> = [
  { words: ['nhan'], kind: 'accept' },
  { words: ['tracuu'], kind: 'view' },
  { words: ['tra', 'cuu'], kind: 'view' },
  { words: ['ghichu'], kind: 'note' },
  { words: ['ghi', 'chu'], kind: 'note' },
  { words: ['xong'], kind: 'resolve' },
  { words: ['giao'], kind: 'transfer' },
];

const LIST_TEXTS = new Set(['hoso', 'ho so cua toi', 'hoso cua toi', 'ds']);
const HELP_TEXTS = new Set(['huongdan', 'huong dan can bo']);

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

interface Token {
  text: string;
  end: number;
}

function tokens(text: string): Token[] {
  return [...text.matchAll(/\S+/g)].map((m) => ({ text: m[0], end: (m.index ?? 0) + m[0].length }));
}

const compact = (token: string) => token.replace(/[^\p{L}\p{N}]/gu, '');

/**
 * The command in an official's text, or null when the text is not one (the flows answer it). A
 * command word followed by something that is not code-like ("nhận được rồi") is not a command; one
 * followed by a code-like word that is no valid code ("NHAN PA-12") is, with `code.code` null.
 */
export function parseOfficialCommand(input: string): OfficialCommand | null {
  const folded = foldText(input);
  if (LIST_TEXTS.has(folded)) return { kind: 'list' };
  if (HELP_TEXTS.has(folded)) return { kind: 'help' };

  const text = input.normalize('NFC').replace(ZERO_WIDTH, '');
  const toks = tokens(text);
  const keyword = KEYWORDS.find((k) => k.words.every((w, i) => toks[i] !== undefined && foldText(toks[i].text).replace(/ /g, '') === w));
  if (!keyword) return null;
  const read = readCode(toks, keyword.words.length);
  if (!read) return null;
  const rest = text.slice(read.end).trim();
  switch (keyword.kind) {
    case 'accept':
    case 'view':
      // "NHAN PA-7K3M9 nhé" is still an accept; anything longer than a word or two is chat.
      return rest.split(/\s+/).length <= 2 ? { kind: keyword.kind, code: read.code } : null;
    case 'note':
    case 'resolve':
      return { kind: keyword.kind, code: read.code, text: rest };
    case 'transfer':
      return { kind: 'transfer', code: read.code, target: rest };
  }
}

/**
 * The case code starting at token `from`: "PA-7K3M9", "pa7k3m9", "PA 7K3M9", "PA - 7K3M9". Null when
 * the word there does not look like a code at all: neither starting with PA nor four or more characters with a digit.
 */
function readCode(toks: Token[], from: number): { code: TypedCode; end: number } | null {
  const first = toks[from];
  if (!first) return null;
  let joined = compact(first.text);
  let last = from;
  // A code split by spaces: keep taking words while what we have is only the prefix so far.
  while (/^(pa?)?$/i.test(joined) && toks[last + 1] && last - from < 2) {
    last++;
    joined += compact(toks[last].text);
  }
  const upper = joined.toUpperCase();
  if (!/^PA/.test(upper) && !(/\d/.test(upper) && upper.length >= 4)) return null;
  const typed = toks.slice(from, last + 1).map((t) => t.text).join(' ');
  return { code: { typed, code: normalizeCaseCode(upper) }, end: toks[last].end };
}

/** The command a button payload stands for; null for a payload that is not ours. */
export function parseOfficialPayload(payload: string): OfficialCommand | null {
  if (payload === OFFICIAL_PAYLOADS.list) return { kind: 'list' };
  const match = /^OFFICIAL_(ACCEPT|VIEW):(.+)$/.exec(payload);
  if (!match) return null;
  const code: TypedCode = { typed: match[2], code: normalizeCaseCode(match[2]) };
  return match[1] === 'ACCEPT' ? { kind: 'accept', code } : { kind: 'view', code };
}
