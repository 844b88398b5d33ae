import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { loadSets, SET_NAMES } from '../../bench/understanding-sets';
import { parseUnderstanding } from '../../src/conversation/understanding';

// The labelled sets of `npm run bench:procedures` must load and say what they are meant to; the
// shares are measures, asserted in the understanding tests, not here.
const ROOT = resolve(__dirname, '../..');
const sets = loadSets(resolve(ROOT, 'bench/understanding-sets.yaml'));
const understanding = parseUnderstanding(readFileSync(resolve(ROOT, 'flows/data/understanding.yaml'), 'utf8'));
const procedureIds = new Set((parse(readFileSync(resolve(ROOT, 'flows/data/procedures.yaml'), 'utf8')) as { procedures: { id: string }[] }).procedures.map((p) => p.id));
const petitionCategories = [...readFileSync(resolve(ROOT, 'flows/petition.yaml'), 'utf8').matchAll(/payload: CAT_\w+, value: (\w+)/g)].map((m) => m[1]);

describe('bench/understanding-sets', () => {
  it('when the sets are read, then each has its size (100 or more, 40 procedures) and a held-out part of a quarter to a half', () => {
    for (const name of SET_NAMES) {
      const entries = sets[name];
      expect({ name, enough: entries.length >= (name === 'procedures' ? 40 : 100) }).toEqual({ name, enough: true });
      const held = entries.filter((e) => e.holdout).length / entries.length;
      expect({ name, held: held >= 0.25 && held <= (name === 'procedures' ? 0.9 : 0.5) }).toEqual({ name, held: true });
    }
    expect(sets.procedures.filter((e) => e.holdout).length).toBeGreaterThanOrEqual(40);
  });

  it('when an entry names what it expects, then that is a known emergency, category, reply, office or procedure', () => {
    if (!understanding.ok) throw new Error(JSON.stringify(understanding.problems));
    const u = understanding.understanding;
    const emergencies = u.emergencies.map((e) => e.id);
    const replies = [...u.otherOffices, ...u.smallTalk].map((r) => r.id);
    const unknown = [
      ...sets.emergencies.filter((e) => !emergencies.includes(e.expect)),
      ...sets.problems.filter((e) => !petitionCategories.includes(e.expect)),
      // a matter the catalogue now explains (the ID card, at the commune police) expects that procedure
      ...sets.others.filter((e) => !replies.includes(e.expect) && !procedureIds.has(e.expect)),
      ...sets.procedures.filter((e) => !procedureIds.has(e.expect)),
    ].map((e) => `${e.text}: ${e.expect}`);
    expect(unknown).toEqual([]);
    expect(petitionCategories).toContain('infrastructure');
  });

  it('when a text is listed, then it is listed once in its set', () => {
    for (const name of SET_NAMES) {
      const texts = sets[name].map((e) => e.text);
      expect(texts.filter((t, i) => texts.indexOf(t) !== i)).toEqual([]);
    }
  });
});
