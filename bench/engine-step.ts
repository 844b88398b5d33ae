/**
 * `npx tsx bench/engine-step.ts`: how long one engine step takes over the bundled flows, beside a
 * no-op step measured by the same harness in the same run, and how long checking 200 flows takes.
 * The events are the conversation transcripts of flows/tests, replayed many times.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InboundEvent, OutboundMessage } from '../src/channels/types';
import { checkFlows, loadFlowRegistry, step, validateFlowSource, type FlowRegistry, type StepResult, type Translator } from '../src/conversation';
import { createTranslator } from '../src/i18n';
import type { JsonObject } from '../src/shared/json';
import { contentOf, readTranscriptFile } from '../test/flows/transcript';

const ROOT = join(__dirname, '..');
const FLOWS = join(ROOT, 'flows');
const ROUNDS = 200;

type StepFn = (registry: FlowRegistry, state: JsonObject | null, event: InboundEvent, ctx: { now: number; t: Translator }) => StepResult;

/** The baseline: same signature and harness, no work beyond building a result. */
const noopStep: StepFn = (_r, state) => ({ kind: 'advanced', state: state ?? {}, replies: [], effects: [] });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function replay(fn: StepFn, registry: FlowRegistry, t: Translator): number[] {
  const cases = readdirSync(join(FLOWS, 'tests'))
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => readTranscriptFile(join(FLOWS, 'tests', f)).cases);
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of cases) {
      let state: JsonObject | null = null;
      let last: OutboundMessage[] = [];
      let now = Date.parse(c.now ?? '2026-03-02T09:00:00+07:00');
      c.turns.forEach((turn, i) => {
        now += 1000;
        const event: InboundEvent = { id: `b${i}`, channel: 'messenger', userId: 'u', timestamp: now, content: contentOf(turn, last) };
        const start = process.hrtime.bigint();
        const r = fn(registry, state, event, { now, t });
        times.push(Number(process.hrtime.bigint() - start) / 1000);
        if (r.kind === 'advanced') {
          state = r.state;
          if (r.replies.length > 0) last = r.replies;
        }
      });
    }
  }
  return times.sort((a, b) => a - b);
}

/** 200 distinct flows made from the bundled ones: ids, payloads and keywords renamed per copy. */
function twoHundredFlows(): { file: string; source: string }[] {
  const files = readdirSync(FLOWS).filter((f) => f.endsWith('.yaml'));
  const sources = files.map((f) => readFileSync(join(FLOWS, f), 'utf8'));
  const ids = files.map((f) => f.replace(/\.yaml$/, ''));
  const out: { file: string; source: string }[] = [];
  for (let n = 0; out.length < 200; n++) {
    sources.forEach((src, i) => {
      if (out.length >= 200) return;
      let s = src.replace(/\b([A-Z][A-Z0-9]*_[A-Z0-9_]+|GET_STARTED)\b/g, `$1_${n}`);
      for (const id of ids) s = s.replace(new RegExp(`(id: |flow: )${id}\\b`, 'g'), `$1${id}-${n}`);
      s = s.replace(/keywords: \[([^\]]*)\]/g, (_m, list: string) => `keywords: [${list.split(',').map((k) => `${k.trim()} ${n}`).join(', ')}]`);
      // only the first copy keeps the one-per-registry event triggers (first_contact, unknown, free_text)
      if (n > 0) s = s.replace(/^( {2}- )event: (\w+)$/gm, `$1keywords: [$2 ${n}]`).replace(/^ {4}(min_words|hints): .*\n/gm, '');
      out.push({ file: `${ids[i]}-${n}.yaml`, source: s });
    });
  }
  return out;
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

async function main(): Promise<void> {
  const t = await createTranslator(join(ROOT, 'locales'));
  const registry = loadFlowRegistry(FLOWS);
  replay(step, registry, t); // warm-up
  const base = replay(noopStep, registry, t);
  const engine = replay(step, registry, t);
  const row = (name: string, xs: number[]) => `${name.padEnd(16)} n=${xs.length}  p50=${percentile(xs, 50).toFixed(2)}µs  p99=${percentile(xs, 99).toFixed(2)}µs`;
  console.log(row('no-op step', base));
  console.log(row('engine step', engine));
  console.log(`ratio engine/no-op: p50 ×${(percentile(engine, 50) / percentile(base, 50)).toFixed(1)}, p99 ×${(percentile(engine, 99) / percentile(base, 99)).toFixed(1)}`);

  const flows = twoHundredFlows();
  time(() => checkFlows(flows, () => true)); // warm-up
  const validate = time(() => flows.filter((f) => validateFlowSource(f.source, f.file).ok).length);
  const check = time(() => checkFlows(flows, () => true));
  const errors = check.value.filter((f) => f.severity === 'error');
  console.log(`validate 200 flows: ${validate.ms.toFixed(1)} ms (${validate.value} valid)`);
  console.log(`flows:check 200 flows: ${check.ms.toFixed(1)} ms (${errors.length} errors), ×${(check.ms / validate.ms).toFixed(2)} of validation alone`);
  // 200 is not a multiple of the bundled flow count: the last copy is partial, so its buttons that
  // lead to flows left out are rightly reported
  if (errors.length > 0) console.log(`  (expected: the last copy is partial) e.g. ${errors[0].file}:${errors[0].line} ${errors[0].message}`);
}

void main();
