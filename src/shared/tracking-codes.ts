/**
 * The tracking codes citizens are given, as they retype or paste them: a case (PA-7K3M9), a hand-off
 * (HT-7K3M9), an appointment (LH-0309-4K7P). Letters and digits that look alike (I, L, O, 0, 1) are
 * never drawn in a case or hand-off code. The stores normalise the code they look up.
 */
const BODY = '[23456789abcdefghjkmnpqrstuvwxyz]{5}';
const SEP = '[\\s._-]?';
const CODE_IN_TEXT = new RegExp(`(?:^|[^\\p{L}\\p{N}])((?:pa|ht)${SEP}${BODY}|lh${SEP}\\d{4}${SEP}[a-z0-9]{4})(?![\\p{L}\\p{N}])`, 'iu');

/** The first tracking code in a message, as typed ("lh 0309 4k7p"); null when it holds none. */
export function findTrackingCode(text: string): string | null {
  return CODE_IN_TEXT.exec(text)?.[1] ?? null;
}
