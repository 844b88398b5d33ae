import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Catalogue } from '../src/civic/procedures/catalogue';
import { matchProcedures } from '../src/civic/procedures/match';
import { parseUnderstanding, readEmergency, readOtherOffice, readProblem, readSmallTalk } from '../src/conversation/understanding';

interface Sets {
  emergencies: { tune: { text: string; expect: string }[]; holdout: { text: string; expect: string }[] };
  ordinary: string[];
  problems: { tune: { text: string; expect: string }[]; holdout: { text: string; expect: string }[] };
  others: { tune: string[]; holdout: string[] };
}

const pct = (n: number, d: number): string => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);

/** The understanding sets, each beside today's matcher (which reads every message as a procedure search). */
export function measureUnderstanding(root: string, catalogue: Catalogue): void {
  const r = parseUnderstanding(readFileSync(join(root, 'flows/data/understanding.yaml'), 'utf8'));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  const u = r.understanding;
  const sets = parse(readFileSync(join(root, 'bench/understanding-sets.yaml'), 'utf8')) as Sets;
  const procedureClaimed = (text: string): boolean => matchProcedures(catalogue, text).confident;
  for (const part of ['tune', 'holdout'] as const) {
    const e = sets.emergencies[part];
    const ok = e.filter((x) => readEmergency(u, x.text)?.id === x.expect).length;
    console.log(`\nemergencies (${part}, ${e.length}): recognised ${pct(ok, e.length)}; today's matcher 0.0% (it has no emergencies; it claims a procedure for ${pct(e.filter((x) => procedureClaimed(x.text)).length, e.length)})`);
    for (const x of e) if (readEmergency(u, x.text)?.id !== x.expect) console.log(`  missed "${x.text}" (${x.expect})`);
    const p = sets.problems[part];
    const pok = p.filter((x) => !readEmergency(u, x.text) && readProblem(u, x.text)?.category === x.expect).length;
    console.log(`civic problems (${part}, ${p.length}): offered as a petition with the right category ${pct(pok, p.length)}; today's matcher 0.0% (claims a procedure for ${pct(p.filter((x) => procedureClaimed(x.text)).length, p.length)})`);
    for (const x of p) if (readProblem(u, x.text)?.category !== x.expect) console.log(`  missed "${x.text}" (${x.expect}, got ${readProblem(u, x.text)?.category ?? 'nothing'})`);
    const o = sets.others[part];
    const handled = (t: string) => readOtherOffice(u, t) !== undefined || readSmallTalk(u, t) !== undefined;
    const ook = o.filter((t) => handled(t) || !procedureClaimed(t)).length;
    console.log(`other offices + small talk (${part}, ${o.length}): never passed off as a commune procedure ${pct(ook, o.length)}; today's matcher ${pct(o.filter((t) => !procedureClaimed(t)).length, o.length)}`);
    for (const t of o) if (!handled(t)) console.log(`  not named "${t}"`);
  }
  const fa = sets.ordinary.filter((t) => readEmergency(u, t));
  console.log(`false alarms on ${sets.ordinary.length} ordinary sentences: ${fa.length}${fa.map((t) => `\n  alarm "${t}"`).join('')}`);
}
