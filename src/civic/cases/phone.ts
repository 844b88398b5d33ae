/**
 * A Vietnamese phone number in E.164 (+84…), from the ways people write it: "0912 345 678",
 * "0912.345.678", "84912345678", "+84 912 345 678", "(+84) 0912345678". Mobiles are 0 + 9 digits
 * starting 3, 5, 7, 8 or 9; landlines are 0 + 10 digits starting 2 (Thanh Hóa 0237…). Carrier
 * prefixes move, so only those first digits are checked. Null when it is not such a number.
 */
export function normalizeVietnamesePhone(written: string): string | null {
  const compact = written.replace(/[\s.\-()]/g, '');
  if (!/^\+?\d+$/.test(compact)) return null;
  let national: string;
  if (compact.startsWith('+84')) national = compact.slice(3);
  else if (compact.startsWith('84') && (compact.length === 11 || compact.length === 12)) national = compact.slice(2);
  else if (compact.startsWith('0')) national = compact.slice(1);
  else return null;
  // "+84 0912…": the trunk 0 written after the country code.
  if (national.startsWith('0')) national = national.slice(1);
  const mobile = /^[35789]\d{8}$/.test(national);
  const landline = /^2\d{9}$/.test(national);
  return mobile || landline ? `+84${national}` : null;
}
