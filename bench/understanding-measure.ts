/**
 * The understanding sets (bench/understanding-sets.yaml), each message sent alone to the real engine
 * over the bundled flows (a fresh conversation, nothing in progress), and what the citizen gets back
 * classified: an emergency number, a petition offer with its category, another office named, a small
 * talk reply, a procedure search (its answer is what the procedure.find action would give), another
 * flow, or nothing. Beside it, in the same run:
 *   - today's matcher: the plain procedure matcher, which reads every message as a procedure search;
 *   - the engine without the understanding layer (the same flows, no data/understanding.yaml).
 * Tuned and holdout parts are printed apart; only the tuned part's misses are listed unless
 * `--holdout-details` is given (do not tune on those).
 */
import { join } from 'node:path';
import type { InboundEvent } from '../src/channels/types';
import type { Catalogue } from '../src/civic/procedures/catalogue';
import { matchProcedures } from '../src/civic/procedures/match';
import { loadFlowRegistry, step, type FlowRegistry, type Translator, type Understanding } from '../src/conversation';
import { encodeState, freshState } from '../src/conversation/state';
import { communeFactsOf, withFacts } from '../src/conversation/understanding';
import { matchKeyword } from '../src/conversation/triggers';
import { createTranslator } from '../src/i18n';
import type { JsonObject } from '../src/shared/json';
import { foldText } from '../src/shared/text-fold';
import { loadSets, type SetEntry, type Sets } from './understanding-sets';

const PETITION_FLOW = 'petition';
const PETITION_PAYLOAD = 'MENU_PETITION';
const MENU_FLOW = 'main-menu';
/** Monday 07/12/2026 09:00 in Vietnam: a working day, the desk open */
const NOW = Date.parse('2026-12-07T02:00:00Z');

export type Outcome =
  | { kind: 'emergency'; id: string }
  | { kind: 'petition'; category?: string }
  | { kind: 'other_office'; id: string }
  | { kind: 'small_talk'; id: string }
  /** the procedures flow searched: `id` the first match, `confident` when it is answered without asking */
  | { kind: 'procedure'; id?: string; confident: boolean }
  | { kind: 'flow'; id: string }
  | { kind: 'nothing' };

export function describe(o: Outcome): string {
  switch (o.kind) {
    case 'emergency':
    case 'other_office':
    case 'small_talk':
    case 'flow':
      return `${o.kind} ${o.id}`;
    case 'petition':
      return `petition ${o.category ?? '(no category)'}`;
    case 'procedure':
      return o.id ? `procedure ${o.id}${o.confident ? '' : ' (a list)'}` : 'procedure search, nothing found';
    default:
      return 'nothing';
  }
}

/** Reads what one message alone gets from the engine. */
export function createReader(registry: FlowRegistry, catalogue: Catalogue, t: Translator): (text: string) => Outcome {
  const u = registry.understanding;
  const says = new Map<string, Outcome>();
  if (u) {
    const facts = communeFactsOf(u);
    for (const x of u.otherOffices) says.set(withFacts(x.say.vi, facts, 'vi'), { kind: 'other_office', id: x.id });
    for (const x of u.smallTalk) says.set(x.say.vi, { kind: 'small_talk', id: x.id });
  }
  const emergencyOf = (text: string): string | undefined =>
    u?.emergencies.find((e) => text.startsWith(e.say.vi.split('{{')[0].slice(0, 24)))?.id;
  let n = 0;
  return (text) => {
    const event: InboundEvent = { id: `m${n++}`, channel: 'zalo', userId: 'bench', timestamp: NOW, content: { type: 'text', text } };
    const r = step(registry, encodeState(freshState()), event, { now: NOW, t });
    if (r.kind !== 'advanced') return { kind: 'nothing' };
    const first = r.replies[0];
    const firstText = first && 'text' in first ? first.text : '';
    const emergency = emergencyOf(firstText);
    if (emergency) return { kind: 'emergency', id: emergency };
    const state = r.state as { offer?: { payload: string; vars: JsonObject }; frames?: { flow: string }[]; vars?: JsonObject };
    if (state.offer?.payload === PETITION_PAYLOAD) return { kind: 'petition', category: stringOf(state.offer.vars.category_guess) };
    const flow = state.frames?.[0]?.flow;
    if (flow === PETITION_FLOW) return { kind: 'petition', category: stringOf(state.vars?.category_guess) };
    const said = says.get(firstText);
    if (said) return said;
    const find = r.effects.find((e) => e.action === 'procedure.find');
    if (find && typeof find.args.query === 'string') {
      const found = matchProcedures(catalogue, find.args.query);
      return { kind: 'procedure', id: found.matches[0]?.id, confident: found.confident };
    }
    if (flow) return { kind: 'flow', id: flow };
    // a flow that ended at once (the main menu greets and shows its buttons): the keyword that started it
    const keyword = matchKeyword(registry.triggers(), foldText(text));
    return keyword ? { kind: 'flow', id: keyword.flowId } : { kind: 'nothing' };
  };
}

const stringOf = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Today's matcher: every message is a procedure search. */
function plainMatcher(catalogue: Catalogue): (text: string) => Outcome {
  return (text) => {
    const found = matchProcedures(catalogue, text);
    return { kind: 'procedure', id: found.matches[0]?.id, confident: found.confident };
  };
}

/** What each set asks of an outcome. */
const right: Record<'emergencies' | 'ordinary' | 'problems' | 'others' | 'procedures', (e: SetEntry, o: Outcome) => boolean> = {
  emergencies: (e, o) => o.kind === 'emergency' && o.id === e.expect,
  ordinary: (e, o) => o.kind !== 'emergency',
  problems: (e, o) => o.kind === 'petition' && (o.category === e.expect || e.accept.includes(o.category ?? '')),
  // never passed off as one commune procedure (a procedure in `accept` is the right one)
  // (or the expected one: the ID card is the catalogue's, at the commune police)
  others: (e, o) => !(o.kind === 'procedure' && o.confident && o.id !== e.expect && !e.accept.includes(o.id ?? '')),
  procedures: (e, o) => o.kind === 'procedure' && o.id === e.expect,
};

/** The stricter figure: the answer is the one expected (that office, that reply). */
function exactlyRight(e: SetEntry, o: Outcome): boolean {
  // a greeting is answered by the main menu, which greets
  if (e.expect === 'greeting' && o.kind === 'flow' && o.id === MENU_FLOW) return true;
  const got = o.kind === 'other_office' || o.kind === 'small_talk' ? o.id : o.kind === 'procedure' ? o.id : o.kind === 'petition' ? o.category : undefined;
  return got !== undefined && (got === e.expect || e.accept.includes(got));
}

const pct = (n: number, d: number): string => (d === 0 ? '   n/a' : `${((100 * n) / d).toFixed(1)}%`.padStart(6));

interface Figures {
  tuned: string;
  holdout: string;
}

function figure(entries: readonly SetEntry[], read: (t: string) => Outcome, ok: (e: SetEntry, o: Outcome) => boolean, count = false): Figures {
  const part = (holdout: boolean) => {
    const xs = entries.filter((e) => e.holdout === holdout);
    const n = xs.filter((e) => ok(e, read(e.text))).length;
    return count ? `${String(xs.length - n).padStart(3)} of ${String(xs.length).padStart(3)}` : `${pct(n, xs.length)} of ${String(xs.length).padStart(3)}`;
  };
  return { tuned: part(false), holdout: part(true) };
}

export interface MeasureOptions {
  /** list the holdout's misses too; default false (they must not be tuned on) */
  holdoutDetails?: boolean;
}

/** Prints the figures of every set, ours beside today's matcher and the engine without understanding. */
export async function measureUnderstanding(root: string, catalogue: Catalogue, { holdoutDetails = false }: MeasureOptions = {}): Promise<void> {
  const sets: Sets = loadSets(join(root, 'bench/understanding-sets.yaml'));
  const t = await createTranslator(join(root, 'locales'));
  const registry = loadFlowRegistry(join(root, 'flows'));
  if (!registry.understanding) throw new Error('flows/data/understanding.yaml is missing');
  const understanding: Understanding = registry.understanding;
  const readers: [string, (text: string) => Outcome][] = [
    ['ours', cached(createReader(registry, catalogue, t))],
    ["today's matcher", cached(plainMatcher(catalogue))],
    ['no understanding', cached(createReader(registry.withUnderstanding(undefined), catalogue, t))],
  ];
  const rows: [string, SetEntry[], (e: SetEntry, o: Outcome) => boolean, boolean?][] = [
    ['emergencies: recognised, right number', sets.emergencies, right.emergencies],
    ['ordinary: false alarms', sets.ordinary, right.ordinary, true],
    ['problems: petition, right category', sets.problems, right.problems],
    ['others: not passed off as a procedure', sets.others, right.others],
    ['others: the expected answer', sets.others, exactlyRight],
    ['procedures: right one first', sets.procedures, right.procedures],
    ['procedures: answered at once, right', sets.procedures, (e, o) => right.procedures(e, o) && o.kind === 'procedure' && o.confident],
  ];
  console.log(`\nunderstanding sets (${understanding.emergencies.length} emergency kinds), each message alone in a fresh conversation`);
  console.log(`${'figure'.padEnd(40)} ${readers.map(([name]) => `${name.padEnd(27)}`).join(' ')}`);
  console.log(`${''.padEnd(40)} ${readers.map(() => `${'tuned'.padEnd(13)} ${'holdout'.padEnd(13)}`).join(' ')}`);
  for (const [label, entries, ok, count] of rows) {
    const cells = readers.map(([, read]) => {
      const f = figure(entries, read, ok, count);
      return `${f.tuned.padEnd(13)} ${f.holdout.padEnd(13)}`;
    });
    console.log(`${label.padEnd(40)} ${cells.join(' ')}`);
  }
  const [, ours] = readers[0];
  console.log('\nmisses (ours), tuned part' + (holdoutDetails ? ' and holdout' : '; `--holdout-details` for the holdout'));
  const misses: [string, SetEntry[], (e: SetEntry, o: Outcome) => boolean][] = [
    ['emergency', sets.emergencies, right.emergencies],
    ['false alarm', sets.ordinary, right.ordinary],
    ['problem', sets.problems, right.problems],
    ['other', sets.others, exactlyRight],
    ['procedure', sets.procedures, right.procedures],
  ];
  for (const [label, entries, ok] of misses) {
    for (const e of entries) {
      if (e.holdout && !holdoutDetails) continue;
      const o = ours(e.text);
      if (!ok(e, o)) console.log(`  ${e.holdout ? 'H ' : ''}${label}: "${e.text}" expected ${e.expect ?? 'no alarm'}, got ${describe(o)}`);
    }
  }
}

function cached(read: (text: string) => Outcome): (text: string) => Outcome {
  const memo = new Map<string, Outcome>();
  return (text) => {
    let o = memo.get(text);
    if (!o) memo.set(text, (o = read(text)));
    return o;
  };
}
