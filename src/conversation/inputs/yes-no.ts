import { foldText } from '../../shared/text-fold';

const YES = new Set(['co', 'yes', 'y', 'ok', 'oke', 'okay', 'dong y', 'vang', 'da', 'u', 'uh', 'um', 'dung', 'dung roi', 'co a', 'vang a', 'da vang', 'dong y a', 'agree', 'yes please', 'chac chan']);
const NO = new Set(['khong', 'ko', 'k', 'kh', 'hong', 'no', 'n', 'khong a', 'thoi', 'khong dong y', 'tu choi', 'chua', 'sai', 'decline', 'refuse', 'nope']);

/** true for "có / đồng ý / vâng / yes", false for "không / ko / no", null when it is neither. */
export function parseYesNo(input: string): boolean | null {
  const f = foldText(input);
  if (YES.has(f)) return true;
  if (NO.has(f)) return false;
  return null;
}

const SKIP = new Set(['bo qua', 'skip', 'khong co', 'khong', 'ko', 'k', 'no', 'none', 'thoi', 'khong can']);

/** Words that skip an optional question. */
export function isSkip(input: string): boolean {
  return SKIP.has(foldText(input));
}
