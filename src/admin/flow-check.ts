import { literalProcedureIds } from '../civic/commune-data/data-files';
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

/** Which flow a source declares, or null when it does not load; kept per source text. */
export type FlowIdMemo = Map<string, string | null>;
const MEMO_LIMIT = 500;

function idOf(source: string, file: string, memo: FlowIdMemo | undefined): string | null {
  const known = memo?.get(source);
  if (known !== undefined) return known;
  const r = validateFlowSource(source, file);
  const id = r.ok ? r.flow.id : null;
  if (memo) {
    // Files and published versions never change: the memo only grows with publishes. A bound all the same.
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(source, id);
  }
  return id;
}

/**
 * The flows as citizens get them now: every valid file by its id, overridden by the newest valid
 * published version of the same id. With a memo, a source already seen is not parsed again.
 */
export function currentFlowSources(files: FlowCheckSource[], published: DraftCheckInput['published'], memo?: FlowIdMemo): Map<string, FlowCheckSource> {
  const byId = new Map<string, FlowCheckSource>();
  for (const f of files) {
    const id = idOf(f.source, f.file, memo);
    if (id !== null) byId.set(id, f);
  }
  for (const s of published) if (idOf(s.source, `${s.flowId}@${s.version}`, memo) !== null) byId.set(s.flowId, { file: `${s.flowId}@${s.version}`, source: s.source });
  return byId;
}

/** What a check found; `alone` is false when the draft failed on its own (then only its own problems are listed). */
export interface DraftCheckResult {
  alone: boolean;
  findings: CheckFinding[];
  /** the procedure ids the draft writes out (`procedure_id: khai-sinh`), to hold against the catalogue in use */
  procedureRefs?: { id: string; line?: number }[];
}

/**
 * The checks a draft passes before it is published: the draft on its own, its id, then together
 * with every other current flow (jumps into it, triggers it shares, actions, texts). A draft that
 * fails on its own gets its own problems only, as errors.
 */
export function checkFlowDraft(input: DraftCheckInput, hasViKey: (key: string) => boolean, memo?: FlowIdMemo): DraftCheckResult {
  const file = `${input.flowId} (draft)`;
  const draft = validateFlowSource(input.source, file);
  if (!draft.ok) return { alone: false, findings: draft.problems.map((p) => ({ severity: 'error' as const, ...p })) };
  if (draft.flow.id !== input.flowId) return { alone: false, findings: [{ severity: 'error', file, message: `the source declares id "${draft.flow.id}", not "${input.flowId}"` }] };
  const sources = currentFlowSources(input.files, input.published, memo);
  sources.set(input.flowId, { file, source: input.source });
  return { alone: true, findings: checkFlows([...sources.values()], hasViKey), procedureRefs: literalProcedureIds(input.source) };
}
