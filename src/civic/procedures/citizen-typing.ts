/**
 * How citizens type Vietnamese in chat, undone word by word on the folded text (no diacritics):
 * chat shorthand ("ko", "dc", "gks"), regional spellings ("sanh"), and keystrokes an input method
 * left unconverted (Telex "sinhf", "vieejt"; VNI "sinh2").
 */

/** Chat shorthand and regional spellings, folded, replaced in place by what they stand for. */
const SHORTHAND: Readonly<Record<string, string>> = {
  ko: 'khong', k: 'khong', kh: 'khong', hok: 'khong', hong: 'khong', hk: 'khong', khg: 'khong',
  dc: 'duoc', dk: 'dang ky', dki: 'dang ky', dky: 'dang ky', dkk: 'dang ky',
  ki: 'ky',
  gks: 'giay khai sinh', ks: 'khai sinh', dkkh: 'dang ky ket hon', gkh: 'giay ket hon',
  sdt: 'so dien thoai', cccd: 'can cuoc cong dan', cmnd: 'chung minh nhan dan', cmt: 'chung minh nhan dan',
  ubnd: 'uy ban nhan dan', ubx: 'uy ban xa',
  ck: 'chong', vk: 'vo', bn: 'bao nhieu', j: 'gi', ntn: 'nhu the nao', vs: 'voi', mk: 'minh', mik: 'minh',
  r: 'roi', e: 'em', a: 'anh', ah: 'a', ad: 'admin', sanh: 'sinh',
  tthn: 'tinh trang hon nhan', xntthn: 'xac nhan tinh trang hon nhan', qsdd: 'quyen su dung dat',
  hdong: 'hop dong', hd: 'hop dong', bhyt: 'bao hiem y te',
};

/**
 * Function words that say nothing about which procedure is meant. They are dropped before scoring,
 * so "làm giấy gì" does not pull towards every alias that starts with "làm giấy".
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  (
    'lam giay to thu tuc cho can gi o dau the nao nhu xin toi em anh chi a nhe voi va thi la co khong duoc ' +
    'bao nhieu tien lau roi muon hoi admin oi vay ha nhung cua nha minh de di ve tai len ra vao cai nay ' +
    'phai sao gio mang theo nop xa giup chau nhi ak hi mot cac da se bi khi neu'
  )
    .split(' ')
    .filter((w) => w.length > 0),
);
// Not listed although common, because a procedure needs them after folding: "ho" (hộ tịch, họ),
// "so" (sổ đỏ), "ban" (bản sao, mua bán), "uy" (ủy quyền), "nhan" (nhận cha), "dan" (dân tộc), "con".

/** Replaces chat shorthand in a list of folded words. */
export function expandShorthand(words: readonly string[]): string[] {
  return words.flatMap((w) => (SHORTHAND[w] ?? w).split(' '));
}

const VOWELS = 'aeiouy';
const TELEX_MARKS = /[fsrxjzw]/g;

/**
 * The word a half-converted Telex or VNI keystroke sequence was meant to be, folded:
 * "sinhf" -> "sinh", "vieejt" -> "viet", "ddang" -> "dang", "kha1i" -> "khai". Null when unchanged.
 */
export function undoInputMethod(word: string): string | null {
  let w = word.replace(/^dd/, 'd');
  if (/[a-z]/.test(w) && /[0-9]/.test(w)) w = w.replace(/[0-9]/g, '');
  const firstVowel = [...w].findIndex((c) => VOWELS.includes(c));
  if (firstVowel >= 0) {
    // After the first vowel a Vietnamese syllable has no f, s, r, x, j, z or w: they are Telex marks.
    const tail = w.slice(firstVowel).replace(TELEX_MARKS, '').replace(/([aeo])\1/g, '$1');
    w = w.slice(0, firstVowel) + tail;
  }
  return w !== word && w.length > 0 ? w : null;
}
