/**
 * A procedure explained to a citizen in one chat message: what to bring, how long, how much, where
 * and when, online filing and the legal basis — short, plain and polite ("biết nói dân hiểu").
 */
import { normalizeText } from '../../shared/text-fold';
import type { Locale } from '../../shared/locale';
import { pick, type Procedure } from './catalogue';

/** Messenger and Zalo both refuse longer text messages. */
export const MAX_MESSAGE_LENGTH = 2000;

const LABELS: Record<Locale, Record<string, string>> = {
  vi: {
    intro: 'Thủ tục',
    documents: 'Giấy tờ cần mang',
    time: 'Thời gian giải quyết',
    fee: 'Lệ phí',
    where: 'Nơi nộp',
    hours: 'Thời gian tiếp nhận',
    online: 'Nộp trực tuyến',
    noOnline: 'Thủ tục này nộp trực tiếp, không nộp trực tuyến.',
    onBehalf: 'Người nộp thay',
    basis: 'Căn cứ pháp lý',
    note: 'Lưu ý',
    closing: 'Ông/bà cần hỏi thêm, vui lòng nhắn cho chúng tôi. Xin cảm ơn!',
  },
  en: {
    intro: 'Procedure',
    documents: 'Papers to bring',
    time: 'Processing time',
    fee: 'Fee',
    where: 'Where to submit',
    hours: 'Opening hours',
    online: 'Online filing',
    noOnline: 'This procedure is filed in person, not online.',
    onBehalf: 'Filing for someone else',
    basis: 'Legal basis',
    note: 'Please note',
    closing: 'If you have more questions, just send us a message. Thank you!',
  },
};

function sections(proc: Procedure, locale: Locale): string[][] {
  const t = LABELS[locale];
  const head = [`${t.intro}: ${pick(proc.name, locale)}`];
  if (proc.note) head.push(`${t.note}: ${pick(proc.note, locale)}`);
  return [
    head,
    [`${t.documents}:`, ...proc.documents.map((d) => `• ${pick(d, locale)}`)],
    [`${t.time}: ${pick(proc.processingTime, locale)}`, `${t.fee}: ${pick(proc.fee, locale)}`],
    [
      `${t.where}: ${pick(proc.where, locale)}`,
      ...(proc.hours ? [`${t.hours}: ${pick(proc.hours, locale)}`] : []),
      proc.online === null ? t.noOnline : `${t.online}: ${proc.online}`,
    ],
    proc.representation ? [`${t.onBehalf}: ${pick(proc.representation, locale)}`] : [],
    [`${t.basis}: ${pick(proc.legalBasis, locale)}`],
    [t.closing],
  ].filter((lines) => lines.length > 0);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/**
 * The explanation as one message under 2000 characters, NFC-normalized. English falls back to
 * Vietnamese field by field. When the text is too long, the optional sections (filing for someone
 * else, then the legal basis) are dropped before anything is cut.
 */
export function explainProcedure(proc: Procedure, locale: Locale): string {
  const parts = sections(proc, locale);
  const render = (blocks: string[][]) =>
    blocks
      .map((lines) => lines.map((line) => normalizeText(line)).join('\n'))
      .join('\n\n')
      .normalize('NFC');
  let text = render(parts);
  const t = LABELS[locale];
  for (const optional of [t.onBehalf, t.basis]) {
    if (text.length <= MAX_MESSAGE_LENGTH) break;
    const at = parts.findIndex((lines) => lines[0]?.startsWith(optional));
    if (at >= 0) parts.splice(at, 1);
    text = render(parts);
  }
  return truncate(text, MAX_MESSAGE_LENGTH);
}

/** The parts of a procedure a follow-up question asks about ("mất bao lâu", "lệ phí bao nhiêu"). */
export const PROCEDURE_ASPECTS = ['documents', 'time', 'fee', 'place', 'online', 'who', 'legal'] as const;
export type ProcedureAspect = (typeof PROCEDURE_ASPECTS)[number];

export function isProcedureAspect(x: unknown): x is ProcedureAspect {
  return typeof x === 'string' && (PROCEDURE_ASPECTS as readonly string[]).includes(x);
}

/**
 * One part of the explanation (null when the catalogue does not say it), answering a follow-up about the procedure just explained: the same
 * words as the full explanation, named after the procedure so the answer stands on its own.
 */
export function explainAspect(proc: Procedure, aspect: ProcedureAspect, locale: Locale): string | null {
  const t = LABELS[locale];
  const name = pick(proc.name, locale);
  const lines: string[] = [];
  switch (aspect) {
    case 'documents':
      lines.push(`${t.documents} (${name}):`, ...proc.documents.map((d) => `• ${pick(d, locale)}`));
      break;
    case 'time':
      lines.push(`${t.time} (${name}): ${pick(proc.processingTime, locale)}`);
      break;
    case 'fee':
      lines.push(`${t.fee} (${name}): ${pick(proc.fee, locale)}`);
      break;
    case 'place':
      lines.push(`${t.where} (${name}): ${pick(proc.where, locale)}`);
      if (proc.hours) lines.push(`${t.hours}: ${pick(proc.hours, locale)}`);
      break;
    case 'online':
      lines.push(proc.online === null ? `${name}: ${t.noOnline}` : `${t.online} (${name}): ${proc.online}`);
      break;
    case 'who':
      // the catalogue says nothing of it: the whole explanation rather than a guess
      if (!proc.representation) return null;
      lines.push(`${t.onBehalf} (${name}): ${pick(proc.representation, locale)}`);
      break;
    case 'legal':
      lines.push(`${t.basis} (${name}): ${pick(proc.legalBasis, locale)}`);
      break;
  }
  return lines.map((l) => normalizeText(l)).join('\n').normalize('NFC');
}
