/**
 * Vietnamese text folding for matching: citizens type with or without diacritics, in NFC or NFD,
 * sometimes with Ð (U+00D0) for Đ, zero-width characters, or extra spaces.
 */

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const COMBINING = /[\u0300-\u036f]/g;

/** NFC form for storing and displaying: composed, Ð -> Đ, zero-width removed, spaces collapsed. */
export function normalizeText(input: string): string {
  return input
    .normalize('NFC')
    .replace(ZERO_WIDTH, '')
    .replace(/\u00D0/g, '\u0110')
    .replace(/\u00F0/g, '\u0111')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The folded form for comparisons: no diacritics (đ -> d), lowercase, punctuation as spaces,
 * single spaces. "Làm giấy  khai sinh?" and "lam giay khai sinh" fold to the same string.
 */
export function foldText(input: string): string {
  return normalizeText(input)
    .normalize('NFD')
    .replace(COMBINING, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
