/** A number as Vietnamese write it: "5", "2,5" (comma decimal), "1.000" (dot thousands); null otherwise. */
export function parseNumber(input: string): number | null {
  const s = input.trim().replace(/\s/g, '');
  if (/^-?\d{1,3}(\.\d{3})+$/.test(s)) return Number(s.replace(/\./g, ''));
  if (/^-?\d+([.,]\d+)?$/.test(s)) return Number(s.replace(',', '.'));
  return null;
}
