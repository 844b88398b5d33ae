/**
 * Procedure matching accuracy on the labelled citizen phrasings, beside a baseline from the same run.
 * Run: npx tsx bench/procedure-match.ts [--failures] [--holdout-details]
 * Then the understanding sets (bench/understanding-measure.ts), beside the same matcher.
 * Baseline: plain keyword matching — a procedure scores one point per alias or keyword found as a
 * substring of the folded question; confident when one procedure has the most points.
 */
import { join } from 'node:path';
import { foldText } from '../src/shared/text-fold';
import { loadCatalogue, type Catalogue } from '../src/civic/procedures/catalogue';
import { matchProcedures, type MatchResult } from '../src/civic/procedures/match';
import { measureUnderstanding } from './understanding-measure';
import { loadPhrasings, measureMatchAccuracy, type MatchAccuracy } from '../src/civic/procedures/match-accuracy';

const root = join(__dirname, '..');

function matchByKeywords(catalogue: Catalogue, query: string): MatchResult {
  const folded = ` ${foldText(query)} `;
  const ranked = catalogue.procedures
    .map((p) => ({
      id: p.id,
      name: p.name.vi,
      score: [...p.aliases, ...p.keywords].filter((phrase) => folded.includes(` ${foldText(phrase)} `)).length,
    }))
    .filter((m) => m.score > 0)
    .sort((a, b) => b.score - a.score);
  const confident = ranked.length > 0 && (ranked.length === 1 || ranked[0].score > ranked[1].score);
  return { matches: ranked.slice(0, 3), confident };
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function row(label: string, a: MatchAccuracy): string {
  return [
    label.padEnd(10),
    percent(a.top1).padStart(7),
    percent(a.top3).padStart(7),
    percent(a.confidentRight).padStart(11),
    String(a.confidentWrong).padStart(14),
    `${a.noneConfidentlyMatched}/${a.noneCount}`.padStart(15),
  ].join(' ');
}

function ratio(ours: number, baseline: number): string {
  return baseline === 0 ? 'n/a' : `${(ours / baseline).toFixed(2)}x`;
}

async function main(): Promise<void> {
  const catalogue = loadCatalogue(join(root, 'flows/data/procedures.yaml'));
  const all = loadPhrasings(join(root, 'test/fixtures/procedure-phrasings.yaml'));
  const sets: [string, typeof all][] = [
    ['all', all],
    ['holdout', all.filter((p) => p.split === 'holdout')],
  ];
  for (const [setName, phrasings] of sets) {
    if (phrasings.length === 0) continue;
    const ours = measureMatchAccuracy((text) => matchProcedures(catalogue, text), phrasings);
    const baseline = measureMatchAccuracy((text) => matchByKeywords(catalogue, text), phrasings);
    console.log(`\nset: ${setName} — ${ours.procedureCount} procedure phrasings, ${ours.noneCount} off-topic (none)`);
    console.log('matcher       top-1   top-3  confident✓  confident-wrong  none-confident');
    console.log(row('bm25', ours));
    console.log(row('baseline', baseline));
    console.log(`ratio top-1 ${ratio(ours.top1, baseline.top1)}, top-3 ${ratio(ours.top3, baseline.top3)}`);
    if (process.argv.includes('--failures') && setName === 'all') {
      for (const f of ours.failures) console.log(`  ${f.confident ? '!' : ' '} "${f.text}" expected ${f.expect}, got ${f.got.join(', ') || '(nothing)'}`);
    }
  }
  await measureUnderstanding(root, catalogue, { holdoutDetails: process.argv.includes('--holdout-details') });
}

void main();
