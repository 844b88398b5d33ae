import { prefixWithin, utf16Length } from '../../shared/text-units';

/**
 * Messenger's length limits, counted as Meta counts them: in UTF-16 code units, so an emoji outside
 * the BMP counts two (a 1,980-character text with 63 emoji is 2,043 units, which Meta may refuse as
 * final). Text is measured in NFC: Vietnamese typed on some keyboards arrives decomposed (a +
 * combining marks), which would otherwise count two or three times.
 */

/** Messenger text must be fewer than 2000 characters. */
export const MAX_TEXT = 1999;
/** Button template text. */
export const MAX_BUTTON_TEXT = 640;
/** Quick reply and button titles. */
export const MAX_TITLE = 20;
/** Quick reply and postback payloads. */
export const MAX_PAYLOAD = 1000;
export const MAX_QUICK_REPLIES = 13;
export const MAX_BUTTONS = 3;

/** UTF-16 code units of the NFC text, as Messenger's limits count. */
export function lengthOf(text: string): number {
  return utf16Length(text);
}

/**
 * Shortens a title to `max` UTF-16 units, at a word boundary when one is near the end, with an
 * ellipsis, never inside an emoji or a letter: "Đăng ký khai sinh cho con" -> "Đăng ký khai sinh…".
 */
export function truncateTitle(title: string, max: number = MAX_TITLE): string {
  const nfc = title.normalize('NFC').trim();
  if (nfc.length <= max) return nfc;
  // The ellipsis is one unit.
  const cut = prefixWithin(nfc, max - 1);
  const space = cut.lastIndexOf(' ');
  // Cut at the last space only when it keeps at least half the room; a long first word is cut hard.
  const kept = space >= Math.floor(max / 2) ? cut.slice(0, space) : cut;
  return `${kept.trimEnd()}…`;
}

/**
 * Splits text into pieces of at most `max` UTF-16 units, in order, preferring to break between
 * paragraphs, then lines, then sentences, then words; a piece is cut hard (between graphemes) only
 * when it has no space.
 */
export function splitText(text: string, max: number = MAX_TEXT): string[] {
  let rest = text.normalize('NFC');
  const pieces: string[] = [];
  while (rest.length > max) {
    const window = prefixWithin(rest, max);
    if (window === '') throw new RangeError(`no text fits in ${max} UTF-16 units`);
    const at = breakPoint(window, Math.floor(max / 2));
    const piece = window.slice(0, at).trimEnd();
    rest = rest.slice(at).trimStart();
    if (piece !== '') pieces.push(piece);
  }
  if (rest !== '' || pieces.length === 0) pieces.push(rest);
  return pieces;
}

/** Where to end a piece of `window`: just after the best separator found past `min`, else the whole window. */
function breakPoint(window: string, min: number): number {
  for (const sep of [/\n\s*\n/g, /\n/g, /[.!?…;:](?=\s)/g, /\s/g]) {
    let last = -1;
    for (const m of window.matchAll(sep)) last = m.index + m[0].length;
    if (last >= min) return last;
  }
  return window.length;
}
