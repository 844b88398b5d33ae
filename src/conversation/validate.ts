import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { z } from 'zod';
import { FlowSchema, STEP_KINDS, STEP_SCHEMAS, stepKind, type Flow, type Step, type Target } from './schema';

/** One thing wrong with a flow file; `line` is 1-based when the position is known. */
export interface FlowProblem {
  file: string;
  line?: number;
  message: string;
}

type PathPart = string | number;

/** FNV-1a: a short, stable fingerprint of a flow's source (deterministic, no crypto needed). */
export function sourceRev(source: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < source.length; i++) {
    h ^= source.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The line of the deepest node on `path` that exists. */
function lineOf(doc: Document, lc: LineCounter, path: PathPart[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}

/** A function giving the line of a path in a YAML source, for tools that report positions. */
export function locator(source: string): (path: PathPart[]) => number | undefined {
  const lc = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lc, prettyErrors: false });
  return (path) => lineOf(doc, lc, path);
}

function describe(path: PathPart[], message: string): string {
  return path.length === 0 ? message : `${path.join('.')}: ${message}`;
}

function issueProblems(file: string, doc: Document, lc: LineCounter, prefix: PathPart[], issues: z.core.$ZodIssue[]): FlowProblem[] {
  return issues.map((i) => {
    const path = [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    return { file, line: lineOf(doc, lc, path), message: describe(path, i.message) };
  });
}

/** Every step id a step may jump to inside its own flow. */
export function localTargets(step: Step): { target: Target; where: PathPart[] }[] {
  const out: { target: Target; where: PathPart[] }[] = [];
  if ('next' in step && step.next !== undefined) out.push({ target: step.next, where: ['next'] });
  if ('goto' in step) out.push({ target: step.goto, where: ['goto'] });
  if ('branch' in step) {
    step.branch.forEach((b, i) => out.push({ target: b.goto, where: ['branch', i, 'goto'] }));
    if (step.else !== undefined) out.push({ target: step.else, where: ['else'] });
  }
  if ('ask' in step && step.input.type === 'choice') {
    step.input.choices?.forEach((c, i) => c.goto !== undefined && out.push({ target: c.goto, where: ['input', 'choices', i, 'goto'] }));
    if (step.input.choices_from?.goto !== undefined) out.push({ target: step.input.choices_from.goto, where: ['input', 'choices_from', 'goto'] });
    if (step.input.otherwise !== undefined) out.push({ target: step.input.otherwise, where: ['input', 'otherwise'] });
  }
  return out;
}

function semanticProblems(file: string, doc: Document, lc: LineCounter, def: z.infer<typeof FlowSchema>): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const at = (path: PathPart[], message: string) => problems.push({ file, line: lineOf(doc, lc, path), message: describe(path, message) });
  const ids = new Set<string>();
  def.steps.forEach((s, i) => {
    if (ids.has(s.id)) at(['steps', i, 'id'], `step id "${s.id}" is used twice`);
    ids.add(s.id);
  });
  def.steps.forEach((s, i) => {
    for (const { target, where } of localTargets(s)) {
      const stepId = typeof target === 'string' ? target : target.flow === def.id ? target.step : undefined;
      if (stepId !== undefined && !ids.has(stepId)) at(['steps', i, ...where], `jumps to step "${stepId}", which this flow does not have`);
    }
    if ('ask' in s && s.input.type === 'choice') {
      if (!s.input.choices && !s.input.choices_from) at(['steps', i, 'input'], 'a choice question needs choices or choices_from');
      if (s.input.choices && s.input.choices_from) at(['steps', i, 'input'], 'a choice question takes choices or choices_from, not both');
      const seen = new Set<string>();
      s.input.choices?.forEach((c, j) => {
        if (seen.has(c.payload)) at(['steps', i, 'input', 'choices', j, 'payload'], `payload ${c.payload} is offered twice in one question`);
        seen.add(c.payload);
      });
      if (s.input.style === 'buttons' && (s.input.choices?.length ?? 0) > 3) at(['steps', i, 'input', 'style'], 'buttons take at most 3 choices; use quick_replies');
    }
    if ('ask' in s && s.input.type === 'number' && s.input.min !== undefined && s.input.max !== undefined && s.input.min > s.input.max) {
      at(['steps', i, 'input'], `min (${s.input.min}) is greater than max (${s.input.max}): no answer could pass`);
    }
    if ('say' in s && s.choices) {
      const seen = new Set<string>();
      s.choices.forEach((c, j) => {
        if (seen.has(c.payload)) at(['steps', i, 'choices', j, 'payload'], `payload ${c.payload} is offered twice in one message`);
        seen.add(c.payload);
      });
    }
  });
  def.triggers?.forEach((t, i) => {
    if (t.step !== undefined && !ids.has(t.step)) at(['triggers', i, 'step'], `starts at step "${t.step}", which this flow does not have`);
    if (t.whole_message && !t.keywords) at(['triggers', i], 'whole_message applies to keywords only');
    if ((t.min_words !== undefined || t.hints !== undefined) && t.event !== 'free_text') at(['triggers', i], 'min_words and hints apply to event: free_text only');
  });
  return problems;
}

/** Parses and validates one flow's YAML. Every problem is reported at once, with its line. */
/** A flow file larger than this is refused before it is parsed (the bundled ones are under 20 kB). */
export const MAX_FLOW_BYTES = 256 * 1024;
/** YAML aliases a flow may use: an alias bomb ("billion laughs") is refused, not expanded. */
export const MAX_FLOW_ALIASES = 50;

export function validateFlowSource(source: string, file = '<flow>'): { ok: true; flow: Flow } | { ok: false; problems: FlowProblem[] } {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > MAX_FLOW_BYTES) return { ok: false, problems: [{ file, line: 1, message: `the flow is ${bytes} bytes; at most ${MAX_FLOW_BYTES} are accepted` }] };
  const lc = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lc, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { ok: false, problems: doc.errors.map((e) => ({ file, line: e.linePos?.[0].line, message: `YAML: ${e.message.split('\n')[0]}` })) };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_FLOW_ALIASES });
  } catch (err) {
    return { ok: false, problems: [{ file, line: 1, message: `YAML: ${(err as Error).message.split('\n')[0]}` }] };
  }
  const problems: FlowProblem[] = [];
  const top = FlowSchema.extend({ steps: z.array(z.unknown()).min(1) }).safeParse(data);
  if (!top.success) problems.push(...issueProblems(file, doc, lc, [], top.error.issues));
  const steps = (data as { steps?: unknown } | null)?.steps;
  if (Array.isArray(steps)) {
    steps.forEach((raw: unknown, i) => {
      const kinds = raw !== null && typeof raw === 'object' ? STEP_KINDS.filter((k) => k in raw) : [];
      if (kinds.length !== 1) {
        const what = kinds.length === 0 ? `a step needs exactly one of ${STEP_KINDS.join(', ')}` : `a step has one kind only, found ${kinds.join(' and ')}`;
        problems.push({ file, line: lineOf(doc, lc, ['steps', i]), message: describe(['steps', i], what) });
        return;
      }
      const r = STEP_SCHEMAS[kinds[0]].safeParse(raw);
      if (!r.success) problems.push(...issueProblems(file, doc, lc, ['steps', i], r.error.issues));
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  const def = FlowSchema.parse(data);
  const semantic = semanticProblems(file, doc, lc, def);
  if (semantic.length > 0) return { ok: false, problems: semantic };
  const stepIndex = new Map(def.steps.map((s, i) => [s.id, i] as const));
  return {
    ok: true,
    flow: { id: def.id, version: def.version ?? 1, rev: sourceRev(source), title: def.title, triggers: def.triggers ?? [], steps: def.steps, stepIndex },
  };
}

export { stepKind };
