import { z } from 'zod';
import { normalizeCaseCode } from '../../store/ports/cases';
import { blankAsAbsent, multiLine, parseCaseInput } from './case-input';
import { changeCase, type CaseDeps } from './change-case';
import { CaseRuleError } from './errors';
import type { CaseOutcome } from './notices';
import { statusAfter } from './transitions';
import { isFiler, type CaseAsker } from './lookup-case';

const rateSchema = z.object({
  code: z.string().min(1).max(40),
  asker: z.object({ channel: z.string().min(1), userId: z.string().min(1) }),
  /** 1 (very poor) to 5 (very satisfied) */
  score: z.number().int().min(1).max(5),
  comment: blankAsAbsent(multiLine(1, 1000)),
  /** "số lần phải đi lại": 0, 1, or 2 for two or more */
  trips: z.number().int().min(0).max(2).optional(),
});

/**
 * The citizen who filed a closed case rates how it was handled, once. Anyone else, or an unknown
 * code, gets CASE_NOT_FOUND: a code is not proof of who filed it. No notices.
 */
export async function rateCase(
  deps: CaseDeps,
  request: { code: string; asker: CaseAsker; score: number; comment?: string; trips?: number },
): Promise<CaseOutcome> {
  const input = parseCaseInput(rateSchema, request);
  const code = normalizeCaseCode(input.code);
  const load = async () => {
    const found = code === null ? null : await deps.cases.findByCode(code);
    return found && isFiler(found, input.asker) ? found : null;
  };
  return changeCase(deps.cases, load, (c) => {
    statusAfter(c, 'rate');
    if (c.rating) throw new CaseRuleError('ALREADY_RATED', 'this case was already rated');
    const at = deps.now();
    const rating = { score: input.score, at, ...(input.comment ? { comment: input.comment } : {}), ...(input.trips !== undefined ? { trips: input.trips } : {}) };
    return { patch: { rating }, event: { at, by: 'citizen', what: 'rated' }, notices: [] };
  });
}
