/**
 * Typing slips as people make them on a phone: a doubled letter ("anhh"), one letter missing,
 * one extra, one wrong or two swapped. Words of folded text are compared one by one; short words
 * (under 4 letters) must match exactly, so "ba" never reads as "bà" of another word. The first
 * letter must be the one meant: a thumb slips inside a word, not on its first key, and a word that
 * differs only there is usually another word ("nhat" is Japanese, not a slip of "that").
 */

/** Whether two words are at most one slip apart (Damerau–Levenshtein distance ≤ 1), the first letter kept. */
export function oneSlip(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1 || a[0] !== b[0]) return false;
  // a doubled letter ("anhh", "okk") is a slip even in a short word
  const [l, sh] = a.length > b.length ? [a, b] : [b, a];
  if (l.length === sh.length + 1 && sh.length >= 2 && /(.)\1/.test(l) && l.replace(/(.)\1/, '$1') === sh) return true;
  if (Math.min(a.length, b.length) < 4) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return long.slice(i + 1) === short.slice(i);
}

/** Whether the words of `phrase` appear in a row in `words`, each at most one slip off. */
export function containsNearly(words: readonly string[], phrase: readonly string[]): boolean {
  for (let start = 0; start + phrase.length <= words.length; start++) {
    let ok = true;
    for (let k = 0; k < phrase.length && ok; k++) ok = oneSlip(words[start + k], phrase[k]);
    if (ok) return true;
  }
  return false;
}
