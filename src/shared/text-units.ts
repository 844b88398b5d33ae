/**
 * Text measured as the platforms' servers measure it: in UTF-16 code units (a JavaScript string's
 * `length`, Java's and PHP's mb UTF-16 counts), where an emoji outside the BMP counts two and a
 * family emoji eleven. Cuts fall between graphemes only, so an emoji, a flag or a letter with its
 * combining marks is never torn in two.
 */

const graphemes = new Intl.Segmenter('vi', { granularity: 'grapheme' });

/** UTF-16 code units of the NFC form: "Đăng ký" decomposed (NFD) counts 7, like its composed form. */
export function utf16Length(text: string): number {
  return text.normalize('NFC').length;
}

/**
 * The longest start of `text` of at most `max` UTF-16 units that ends between two graphemes.
 * A single grapheme longer than `max` (a long emoji sequence) is cut between code points instead,
 * never inside a surrogate pair; the result is empty only when `max` is below 2 and the text opens
 * with a surrogate pair.
 */
export function prefixWithin(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (const { index, segment } of graphemes.segment(text)) {
    const next = index + segment.length;
    if (next > max) break;
    end = next;
  }
  if (end > 0) return text.slice(0, end);
  let cut = 0;
  for (const cp of text) {
    if (cut + cp.length > max) break;
    cut += cp.length;
  }
  return text.slice(0, cut);
}
