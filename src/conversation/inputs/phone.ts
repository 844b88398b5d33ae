/**
 * A Vietnamese mobile number in E.164 (+84 and 9 digits), or null. Accepts 0xx…, 84xx…, +84xx…
 * with spaces, dots, dashes or brackets. Mobiles start 03/05/07/08/09; carriers are not hard-coded
 * because prefixes move between them.
 */
export function parsePhone(input: string): string | null {
  const compact = input.replace(/[\s.\-()\u00A0]/g, '');
  let rest: string | null = null;
  if (/^\+84\d{9}$/.test(compact)) rest = compact.slice(3);
  else if (/^84\d{9}$/.test(compact)) rest = compact.slice(2);
  else if (/^0\d{9}$/.test(compact)) rest = compact.slice(1);
  if (rest === null || !/^[35789]/.test(rest)) return null;
  return `+84${rest}`;
}

/** Digits with the separators people put between them, starting where a number can start. */
const CANDIDATE = /(?:\+\s*)?\d[\d\s.\-()\u00A0]{8,18}\d/g;

/**
 * The mobile number inside a sentence ("sdt em la 0912 345 678 a", "gọi 0987.654.321 giúp em"), or
 * null when there is none, or more than one different number (the person should say which).
 */
export function findPhone(input: string): string | null {
  const whole = parsePhone(input.trim());
  if (whole) return whole;
  const found = new Set<string>();
  for (const m of input.matchAll(CANDIDATE)) {
    // a run of digits may hold a number and more ("0912345678 hoặc 0987…" without a word between)
    const phone = parsePhone(m[0]) ?? parsePhone(m[0].replace(/[^\d+]/g, '').slice(0, m[0].trim().startsWith('+') ? 12 : 10));
    if (phone) found.add(phone);
  }
  return found.size === 1 ? [...found][0] : null;
}
