/**
 * Messenger's length limits, counted in Unicode code points of NFC text: Vietnamese typed on some
 * keyboards arrives decomposed (a + combining marks), which would otherwise count two or three times.
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

export function lengthOf(text: string): number {
  return [...text.normalize('NFC')].length;
}

/**
 * Shortens a title to `max` code points, at a word boundary when one is near the end, with an ellipsis:
 * "Đăng ký khai sinh cho con" -> "Đăng ký khai sinh…".
 */
export function truncateTitle(title: string, max: number = MAX_TITLE): string {
  const chars = [...title.normalize('NFC').trim()];
  if (chars.length <= max) return chars.join('');
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  // Cut at the last space only when it keeps at least half the room; a long first word is cut hard.
  const kept = space >= Math.floor(max / 2) ? cut.slice(0, space) : cut;
  return `${kept.trimEnd()}…`;
}

/**
 * Splits text into pieces of at most `max` code points, in order, preferring to break between
 * paragraphs, then lines, then sentences, then words; a piece is cut hard only when it has no space.
 */
export function splitText(text: string, max: number = MAX_TEXT): string[] {
  let rest = text.normalize('NFC');
  const pieces: string[] = [];
  while ([...rest].length > max) {
    const window = [...rest].slice(0, max).join('');
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
