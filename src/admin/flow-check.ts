import { checkFlows, validateFlowSource, type CheckFinding } from '../conversation';

/** A flow's YAML and where it came from (a file name, or `<id>@<version>` for a published version). */
export interface FlowCheckSource {
  file: string;
  source: string;
}

/** Everything a draft is checked against, as plain data (it crosses to the check's worker thread). */
export interface DraftCheckInput {
  flowId: string;
  source: string;
  /** the flow files */
  files: FlowCheckSource[];
  /** the newest published version of each flow, overriding the file of the same id */
  published: { flowId: string; version: number; source: string }[];
}

/**
 * The flows as citizens get them now: every valid file by its id, overridden by the newest valid
 * published version of the same id.
 */
export function currentFlowSources(files: FlowCheckSource[], published: DraftCheckInput['published']): Map<string, FlowCheckSource> {
  const byId = new Map<string, FlowCheckSource>();
  for (const f of files) {
    const r = validateFlowSource(f.source, f.file);
    if (r.ok) byId.set(r.flow.id, f);
  }
  for (const s of published) if (validateFlowSource(s.source).ok) byId.set(s.flowId, { file: `${s.flowId}@${s.version}`, source: s.source });
  return byId;
}

/** What a check found; `alone` is false when the draft failed on its own (then only its own problems are listed). */
export interface DraftCheckResult {
  alone: boolean;
  findings: CheckFinding[];
}

/**
 * The checks a draft passes before it is published: the draft on its own, its id, then together
 * with every other current flow (jumps into it, triggers it shares, actions, texts). A draft that
 * fails on its own gets its own problems only, as errors.
 */
export function checkFlowDraft(input: DraftCheckInput, hasViKey: (key: string) => boolean): DraftCheckResult {
  const file = `${input.flowId} (draft)`;
  const draft = validateFlowSource(input.source, file);
  if (!draft.ok) return { alone: false, findings: draft.problems.map((p) => ({ severity: 'error' as const, ...p })) };
  if (draft.flow.id !== input.flowId) return { alone: false, findings: [{ severity: 'error', file, message: `the source declares id "${draft.flow.id}", not "${input.flowId}"` }] };
  const sources = currentFlowSources(input.files, input.published);
  sources.set(input.flowId, { file, source: input.source });
  return { alone: true, findings: checkFlows([...sources.values()], hasViKey) };
}
