import { foldText } from '../../shared/text-fold';

/** Words of address and courtesy around an answer ("dạ có ạ", "ok nhé", "em đồng ý"): dropped before reading it. */
const LEADING = /^(?:(?:da|vang|thi|em|e|toi|minh|tui|con|chau|anh|chi|bac|co chu|ad|admin|ban)\s+)+/;
const TRAILING = /(?:\s+(?:a|ah|nhe|nha|nhes|nhen|nhe ad|ad|admin|nhi|luon|di|day|roi|ban|em|anh|chi|ak|ha|hen|oi|vay|the|nhe ban|a ad))+$/;

/** The answer without the courtesy words around it ("dạ vâng ạ" → "vang"; "ok nhé" → "ok"). */
export function bareAnswer(input: string): string {
  const f = foldText(input);
  const trimmed = f.replace(TRAILING, '').replace(LEADING, '');
  return trimmed === '' ? f : trimmed;
}

const YES = new Set([
  'co', 'yes', 'y', 'yep', 'yeah', 'ok', 'oke', 'okay', 'okie', 'oki', 'okela', 'okla', 'ok la', 'uk', 'uh', 'u', 'um', 'uhm', 'uki', 'un', 'uhm', 'ung',
  'dong y', 'vang', 'da', 'da vang', 'vang a', 'dung', 'dung roi', 'dung vay', 'chuan', 'chinh xac', 'duoc', 'dc', 'd c', 'duoc roi', 'dong y luon',
  'co a', 'co chu', 'tat nhien', 'chac chan', 'agree', 'i agree', 'yes please', 'sure', 'xac nhan',
]);
const NO = new Set([
  'khong', 'ko', 'k', 'kh', 'khg', 'hong', 'hok', 'hem', 'hk', 'no', 'n', 'nope', 'khong a', 'thoi', 'thoi khoi', 'khoi', 'khong can', 'ko can', 'k can',
  'khong dong y', 'ko dong y', 'tu choi', 'chua', 'chua can', 'de sau', 'lan sau', 'sai', 'khong phai', 'ko phai', 'decline', 'refuse', 'no thanks', 'khong muon', 'ko muon',
]);

/** true for "có / đồng ý / vâng / ok / uk / yes", false for "không / ko / thôi / no", null when it is neither. */
export function parseYesNo(input: string): boolean | null {
  const f = foldText(input);
  if (YES.has(f)) return true;
  if (NO.has(f)) return false;
  const bare = bareAnswer(input);
  if (YES.has(bare)) return true;
  if (NO.has(bare)) return false;
  // "ok dc", "thôi không", "ko ko": every word a yes, or every word a no
  const words = bare.split(' ');
  if (words.length > 1 && words.every((w) => YES.has(w))) return true;
  if (words.length > 1 && words.every((w) => NO.has(w))) return false;
  // "đúng rồi đặt đi", "ok gửi luôn": a yes that goes on, with no no in it
  if (words.length <= 6 && !words.some((w) => NEGATION.has(w))) {
    for (const n of [2, 1]) if (words.length > n && YES_LEADING.has(words.slice(0, n).join(' '))) return true;
  }
  return null;
}

const NEGATION = new Set(['khong', 'ko', 'k', 'kh', 'khg', 'hong', 'chua', 'thoi', 'sai']);
/** yes words that may lead a longer answer ("có" may not: "có thể cho em hỏi…" is a question) */
const YES_LEADING = new Set(['ok', 'oke', 'okay', 'okie', 'uk', 'dung roi', 'dong y', 'vang', 'duoc', 'dc', 'yes', 'chuan', 'chinh xac', 'xac nhan', 'da vang', 'dung vay']);

const SKIP = new Set(['bo qua', 'skip', 'khong co', 'khong', 'ko', 'k', 'kh', 'no', 'none', 'thoi', 'khong can', 'ko can', 'k can', 'chua co', 'bo', 'qua', 'next', 'tiep', 'khoi', 'an danh', 'giau ten']);
/** "không có ảnh", "ko co sdt a", "em không muốn để lại tên": a refusal, then only what is refused. */
const REFUSAL = /^(?:khong|ko|k|kh|khg|hong|hok|chua|khoi)(?: (?:co|can|muon|tien|nho|biet|de lai|de|gui|cho|cung cap|chup|dung|xai|dc|duoc|kip|lay))*(?: (?:anh|hinh|hinh anh|tam anh|tam hinh|anh chup|sdt|so|so dt|so dien thoai|dien thoai|dt|dth|ten|ho ten|ten tuoi|vi tri|dinh vi|dia chi|dia diem|gi|gi ca|gi them|gi nua|y kien|gop y|nua|them|ca|het|dau|a|nhe|lai|duoc|roi))*$/;

/** Words that skip an optional question: "bỏ qua", "không có", "không có ảnh", "ko co sdt a", "không cần". */
export function isSkip(input: string): boolean {
  const f = foldText(input);
  if (SKIP.has(f) || f.startsWith('bo qua')) return true;
  if (/\d/.test(f)) return false;
  const bare = bareAnswer(input);
  return SKIP.has(bare) || REFUSAL.test(bare);
}
