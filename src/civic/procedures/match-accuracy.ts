/**
 * Accuracy of a procedure matcher on labelled citizen phrasings: what the benchmark prints and
 * the threshold test asserts, computed in one place so both report the same figures.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { MatchResult } from './match';

/** Label for a phrasing that no catalogue procedure fits. */
export const NO_PROCEDURE = 'none';

const phrasingsSchema = z.strictObject({
  phrasings: z
    .array(z.strictObject({ text: z.string().min(1), expect: z.string().min(1), split: z.enum(['holdout']).optional() }))
    .min(1),
});

export type LabelledPhrasing = z.output<typeof phrasingsSchema>['phrasings'][number];

/** Reads a labelled phrasing file (`phrasings: [{ text, expect, split? }]`); throws on a bad file. */
export function loadPhrasings(file: string): LabelledPhrasing[] {
  return phrasingsSchema.parse(parseYaml(readFileSync(file, 'utf8'))).phrasings;
}

export interface MatchAccuracy {
  /** phrasings that name a procedure */
  procedureCount: number;
  /** share of those whose first match is right */
  top1: number;
  /** share of those with the right procedure among the first three */
  top3: number;
  /** phrasings answered confidently with the wrong procedure, `none` ones included */
  confidentWrong: number;
  /** share of the procedure phrasings answered confidently and rightly */
  confidentRight: number;
  noneCount: number;
  /** `none` phrasings that were confidently matched to some procedure */
  noneConfidentlyMatched: number;
  failures: { text: string; expect: string; got: string[]; confident: boolean }[];
}

export function measureMatchAccuracy(match: (text: string) => MatchResult, phrasings: readonly LabelledPhrasing[]): MatchAccuracy {
  let top1 = 0;
  let top3 = 0;
  let confidentWrong = 0;
  let confidentRight = 0;
  let noneConfidentlyMatched = 0;
  const failures: MatchAccuracy['failures'] = [];
  const named = phrasings.filter((p) => p.expect !== NO_PROCEDURE);
  for (const phrasing of phrasings) {
    const result = match(phrasing.text);
    const ids = result.matches.map((m) => m.id);
    const first = ids[0];
    if (phrasing.expect === NO_PROCEDURE) {
      if (result.confident) {
        noneConfidentlyMatched++;
        confidentWrong++;
        failures.push({ text: phrasing.text, expect: phrasing.expect, got: ids, confident: true });
      }
      continue;
    }
    if (first === phrasing.expect) top1++;
    if (ids.slice(0, 3).includes(phrasing.expect)) top3++;
    if (result.confident && first === phrasing.expect) confidentRight++;
    if (result.confident && first !== phrasing.expect) confidentWrong++;
    if (first !== phrasing.expect) failures.push({ text: phrasing.text, expect: phrasing.expect, got: ids, confident: result.confident });
  }
  const share = (n: number) => (named.length === 0 ? 0 : n / named.length);
  return {
    procedureCount: named.length,
    top1: share(top1),
    top3: share(top3),
    confidentWrong,
    confidentRight: share(confidentRight),
    noneCount: phrasings.length - named.length,
    noneConfidentlyMatched,
    failures,
  };
}
