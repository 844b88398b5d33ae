/**
 * A 12-digit citizen identity number (CCCD / số định danh cá nhân), or null: 3 digits of the province
 * of birth registration (001-096), one of century and sex, two of birth year, six more. Spaces and dots are dropped.
 */
export function parseCccd(input: string): string | null {
  const digits = input.replace(/[\s.\-\u00A0]/g, '');
  if (!/^\d{12}$/.test(digits)) return null;
  const province = Number(digits.slice(0, 3));
  if (province < 1 || province > 96) return null;
  return digits;
}
