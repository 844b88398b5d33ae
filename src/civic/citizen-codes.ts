/**
 * The codes a citizen is given and may type back: a case (hồ sơ phản ánh, "PA-7K3M9"), an
 * appointment (lịch hẹn, "LH-0309-4K7P") and a hand-off to an official ("HT-7K3M9"). People type
 * them lowercase, without dashes, with spaces, inside a sentence ("cho hỏi lịch lh 1208 eztp của
 * em"); each kind has its own prefix, so a code is read the same wherever it is typed.
 */
import { normalizeCaseCode } from '../store/ports/cases';
import { normalizeHandoffCode } from '../store/ports/handoffs';
import { normalizeAppointmentCode } from './appointments/result-dates';

export const CODE_KINDS = ['case', 'appointment', 'handoff'] as const;
export type CodeKind = (typeof CODE_KINDS)[number];

/** A well-formed code of a known kind, in its stored form. */
export interface TypedCode {
  kind: CodeKind;
  code: string;
}

const READERS: readonly [CodeKind, (typed: string) => string | null][] = [
  ['case', normalizeCaseCode],
  ['appointment', normalizeAppointmentCode],
  ['handoff', normalizeHandoffCode],
];

// The longest code typed in pieces: "LH 1208 EZTP".
const MAX_PIECES = 3;
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;
// Separators between words; "-", "." and "_" may sit inside a code and are only trimmed at its ends.
const SEPARATORS = /[\s,;:!?()[\]{}<>"'“”‘’«»#*/\\|]+/u;
const CODE_PIECE = /^[A-Za-z0-9]+(?:[-._][A-Za-z0-9]+)*$/;

/** The code `typed` is as a whole ("pa 7k3m9", "LH03094K7P"), or null when it is none of the kinds. */
export function readCode(typed: string): TypedCode | null {
  const clean = typed.normalize('NFC').replace(INVISIBLE, '').trim();
  if (clean.length === 0 || clean.length > 40) return null;
  for (const [kind, read] of READERS) {
    const code = read(clean);
    if (code) return { kind, code };
  }
  return null;
}

/**
 * The first code inside a sentence, of any kind, or null. Words with Vietnamese letters are never
 * part of a code, so "hồ sơ" or "tạm trú" next to the code do not spoil it.
 */
export function findCode(text: string): TypedCode | null {
  const words = text
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .split(SEPARATORS)
    .map((w) => w.replace(/^[-._]+|[-._]+$/g, ''));
  for (let i = 0; i < words.length; i++) {
    for (let n = 1; n <= MAX_PIECES && i + n <= words.length; n++) {
      const pieces = words.slice(i, i + n);
      if (!pieces.every((p) => CODE_PIECE.test(p))) break;
      const found = readCode(pieces.join(''));
      if (found) return found;
    }
  }
  return null;
}

/** The code a citizen typed at a question that asks for one: the whole answer, or a code inside it. */
export function readTypedCode(typed: string): TypedCode | null {
  return readCode(typed) ?? findCode(typed);
}
