import { foldText } from '../shared/text-fold';
import { isKnownAction } from './actions';
import { COMMAND_PAYLOADS, matchCommand } from './commands';
import { stepKind, type Flow, type Step, type Target, type Text } from './schema';
import { templateVars } from './text';
import { localTargets, locator, validateFlowSource } from './validate';

/** One thing flows:check found; errors fail the check, warnings are printed. */
export interface CheckFinding {
  severity: 'error' | 'warning';
  file: string;
  line?: number;
  message: string;
}

type PathPart = string | number;
interface Loaded {
  file: string;
  flow: Flow;
  at: (path: PathPart[]) => number | undefined;
}

/** Messenger cuts quick-reply titles after 20 characters. */
const QUICK_REPLY_MAX = 20;

/** Payloads the engine itself answers (yes/no, skip) besides commands and triggers. */
const ENGINE_PAYLOADS = new Set(['YES', 'NO', 'SKIP']);

/** Steps reachable from where the flow can start: its first step, its trigger steps, and steps other flows jump to. */
function unreachable(flow: Flow, entries: Set<string>): Step[] {
  const seen = new Set<string>();
  const todo = [flow.steps[0].id, ...entries];
  while (todo.length > 0) {
    const id = todo.pop()!;
    const i = flow.stepIndex.get(id);
    if (i === undefined || seen.has(id)) continue;
    seen.add(id);
    const step = flow.steps[i];
    for (const { target } of localTargets(step)) {
      if (typeof target === 'string') todo.push(target);
      else if (target.flow === flow.id && target.step) todo.push(target.step);
      if (typeof target !== 'string' && target.return) {
        const after = 'next' in step && typeof step.next === 'string' ? step.next : flow.steps[i + 1]?.id;
        if (after) todo.push(after);
      }
    }
    const kind = stepKind(step);
    const fallsThrough = !('next' in step && step.next !== undefined) && kind !== 'goto' && kind !== 'end' && !(kind === 'branch' && 'else' in step && step.else !== undefined);
    if (fallsThrough && flow.steps[i + 1]) todo.push(flow.steps[i + 1].id);
  }
  return flow.steps.filter((s) => !seen.has(s.id));
}

/** Every text of a flow with its path, for the language checks. */
function textsOf(flow: Flow): { text: Text; path: PathPart[] }[] {
  const out: { text: Text; path: PathPart[] }[] = [{ text: flow.title, path: ['title'] }];
  flow.steps.forEach((s, i) => {
    const p = (...rest: PathPart[]) => ['steps', i, ...rest];
    if ('say' in s) {
      out.push({ text: s.say, path: p('say') });
      s.choices?.forEach((c, j) => out.push({ text: c.title, path: p('choices', j, 'title') }));
      s.buttons?.forEach((b, j) => out.push({ text: b.title, path: p('buttons', j, 'title') }));
    }
    if ('ask' in s) {
      out.push({ text: s.ask, path: p('ask') });
      if (s.input.help) out.push({ text: s.input.help, path: p('input', 'help') });
      if (s.input.type === 'choice') s.input.choices?.forEach((c, j) => out.push({ text: c.title, path: p('input', 'choices', j, 'title') }));
    }
    if ('end' in s && s.end !== true) out.push({ text: s.end, path: p('end') });
  });
  return out;
}

function targetsOf(flow: Flow): { target: Exclude<Target, string>; path: PathPart[] }[] {
  const out: { target: Exclude<Target, string>; path: PathPart[] }[] = [];
  flow.steps.forEach((s, i) => {
    for (const { target, where } of localTargets(s)) if (typeof target !== 'string') out.push({ target, path: ['steps', i, ...where] });
  });
  return out;
}

/**
 * Checks a set of flow sources together: each file's schema, then what only shows across files —
 * jumps to missing flows or steps, unreachable steps, unknown actions, missing Vietnamese texts,
 * triggers claimed twice, buttons whose payload starts nothing. `hasViKey` says whether locales/vi has a key.
 */
export function checkFlows(sources: { file: string; source: string }[], hasViKey: (key: string) => boolean): CheckFinding[] {
  const findings: CheckFinding[] = [];
  const loaded: Loaded[] = [];
  const byId = new Map<string, Loaded>();
  for (const { file, source } of sources) {
    const r = validateFlowSource(source, file);
    if (!r.ok) {
      findings.push(...r.problems.map((p) => ({ severity: 'error' as const, ...p })));
      continue;
    }
    const l = { file, flow: r.flow, at: locator(source) };
    const other = byId.get(r.flow.id);
    if (other) findings.push({ severity: 'error', file, line: l.at(['id']), message: `flow id "${r.flow.id}" is already used by ${other.file}` });
    else byId.set(r.flow.id, l);
    loaded.push(l);
  }
  const err = (l: Loaded, path: PathPart[], message: string) => findings.push({ severity: 'error', file: l.file, line: l.at(path), message });
  const warn = (l: Loaded, path: PathPart[], message: string) => findings.push({ severity: 'warning', file: l.file, line: l.at(path), message });

  // entries from other flows, and cross-flow jumps
  const entries = new Map<string, Set<string>>();
  for (const l of loaded) {
    for (const { target, path } of targetsOf(l.flow)) {
      const to = byId.get(target.flow);
      if (!to) err(l, path, `jumps to flow "${target.flow}", which does not exist`);
      else if (target.step !== undefined && !to.flow.stepIndex.has(target.step)) err(l, path, `jumps to step "${target.step}" of flow "${target.flow}", which it does not have`);
      else if (target.step !== undefined) {
        const set = entries.get(target.flow) ?? new Set<string>();
        set.add(target.step);
        entries.set(target.flow, set);
      }
    }
  }

  // triggers claimed by two flows
  const claimed = new Map<string, Loaded>();
  const claim = (key: string, l: Loaded, path: PathPart[], what: string) => {
    const other = claimed.get(key);
    if (other && other !== l) err(l, path, `${what} is also a trigger of ${other.file}`);
    else claimed.set(key, l);
  };
  const triggerPayloads = new Set<string>();
  for (const l of loaded) {
    l.flow.triggers.forEach((t, i) => {
      const payloads = t.payload === undefined ? [] : Array.isArray(t.payload) ? t.payload : [t.payload];
      payloads.forEach((p) => {
        triggerPayloads.add(p);
        claim(`payload:${p}`, l, ['triggers', i, 'payload'], `payload ${p}`);
      });
      for (const k of t.keywords ?? []) {
        claim(`keyword:${foldText(k)}`, l, ['triggers', i, 'keywords'], `keyword "${k}"`);
        if (t.whole_message && matchCommand({ type: 'text', text: k })) warn(l, ['triggers', i, 'keywords'], `keyword "${k}" is a global command and never reaches this flow`);
      }
      if (t.event) claim(`event:${t.event}`, l, ['triggers', i, 'event'], `event ${t.event}`);
    });
  }

  for (const l of loaded) {
    const flow = l.flow;
    for (const s of unreachable(flow, new Set([...(entries.get(flow.id) ?? []), ...flow.triggers.flatMap((t) => (t.step ? [t.step] : []))]))) {
      err(l, ['steps', flow.stepIndex.get(s.id)!], `step "${s.id}" can never be reached`);
    }
    flow.steps.forEach((s, i) => {
      if ('call' in s && !isKnownAction(s.call)) err(l, ['steps', i, 'call'], `unknown action "${s.call}"`);
      if ('say' in s) {
        const offered = [...(s.choices ?? []), ...(s.buttons ?? []).flatMap((b) => ('payload' in b ? [b] : []))];
        for (const c of offered) {
          if (!triggerPayloads.has(c.payload) && !(c.payload in COMMAND_PAYLOADS) && !ENGINE_PAYLOADS.has(c.payload)) {
            err(l, ['steps', i], `button payload ${c.payload} starts no flow and is no command`);
          }
        }
      }
    });
    for (const { text, path } of textsOf(flow)) {
      const last = path[path.length - 1];
      if (last !== 'title' || path.length < 3 || (typeof text === 'object' && 'key' in text)) continue;
      // A title the platform cuts ("Chứng thực hợp…") cannot be read: refused, counted in code points of NFC.
      for (const [lng, s] of Object.entries(typeof text === 'string' ? { vi: text } : text)) {
        const length = [...s.normalize('NFC')].length;
        if (length > QUICK_REPLY_MAX) err(l, path, `choice title "${s}" (${lng}) has ${length} characters; Messenger shows ${QUICK_REPLY_MAX}: write a shorter one`);
      }
    }
    let noEnglish = 0;
    for (const { text, path } of textsOf(flow)) {
      if (typeof text === 'object' && 'key' in text) {
        if (!hasViKey(text.key)) err(l, path, `locale key "${text.key}" has no Vietnamese text in locales/vi`);
      } else if (typeof text === 'string' ? text.replace(/\{\{[^}]*\}\}/g, '').trim() !== '' : text.en === undefined) noEnglish++;
      const raw = typeof text === 'string' ? text : 'vi' in text ? `${text.vi} ${text.en ?? ''}` : '';
      for (const v of templateVars(raw)) if (!/^[a-z_][\w.]*$/i.test(v)) err(l, path, `bad placeholder {{${v}}}`);
    }
    if (noEnglish > 0) warn(l, [], `${noEnglish} text(s) have no English; Vietnamese is shown instead`);
  }
  return findings;
}
