import { z } from 'zod';
import { normalizeText } from '../../shared/text-fold';
import { invalidCaseInput, type CaseInputIssue } from './errors';

/** One line of text (a village, a name): NFC, Ð -> Đ, zero-width removed, spaces collapsed, trimmed. */
export function singleLine(min: number, max: number) {
  return z.string().transform(normalizeText).pipe(z.string().min(min).max(max));
}

/** Free text that keeps its line breaks (content, answer, note): each line normalized as above. */
export function multiLine(min: number, max: number) {
  return z
    .string()
    .transform((s) => s.split(/\r\n|\r|\n/).map(normalizeText).join('\n').replace(/\n{3,}/g, '\n\n').trim())
    .pipe(z.string().min(min).max(max));
}

/** An optional field where a blank string (a flow's skipped answer) means "not given". */
export function blankAsAbsent<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());
}

/** Official ids name people in history lines, where 'citizen' and 'system' mean something else. */
export const officialId = z
  .string()
  .min(1)
  .max(200)
  .refine((id) => id !== 'citizen' && id !== 'system', { message: 'reserved' });

/** The stable word for what is wrong with a value; custom checks give theirs as the message. */
function problemOf(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : 'wrong_type';
    case 'invalid_value':
      return issue.input === undefined ? 'required' : 'not_allowed';
    case 'too_small':
      return issue.origin === 'string' ? 'too_short' : issue.origin === 'array' ? 'too_few' : 'too_small';
    case 'too_big':
      return issue.origin === 'string' ? 'too_long' : issue.origin === 'array' ? 'too_many' : 'too_big';
    case 'invalid_format':
      return `invalid_${issue.format}`;
    case 'invalid_union':
      return 'not_allowed';
    default:
      return 'invalid';
  }
}

/** The parsed input, or a CaseRuleError('INVALID_CASE_INPUT') listing every field that failed. */
export function parseCaseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input, { error: problemOf });
  if (result.success) return result.data;
  const issues: CaseInputIssue[] = result.error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(input)', problem: i.message }));
  throw invalidCaseInput(issues);
}
