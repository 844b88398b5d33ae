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
