import type { CheckFinding } from '../conversation';
import { checkFlowDraft, currentFlowSources, type DraftCheckInput, type DraftCheckResult, type FlowIdMemo } from './flow-check';
import { DATA_VERSION_PREFIX, literalProcedureIds } from '../civic/commune-data/data-files';
import { AppError } from '../shared/app-error';
import type { FlowStore, StoredFlowVersion } from '../store/ports/flows';

export interface FlowSource {
  /** where it came from: a file name, or `<id>@<version>` for a published version */
  file: string;
  source: string;
}

export interface FlowPublishing {
  /** The flows as citizens get them now: the files, overridden by the newest published versions. */
  currentSources(): Promise<Map<string, FlowSource>>;
  /**
   * Validates `source` as the new version of `flowId` together with every other current flow
   * (jumps into it, triggers it shares, actions, texts), then stores it. Refuses with
   * VALIDATION_FAILED and every problem when anything does not pass; nothing is stored then.
   */
  publish(input: { flowId: string; source: string; by: string; now: number }): Promise<StoredFlowVersion>;
  /** Procedure ids the flow writes out (`procedure_id: khai-sinh`) that the catalogue in use lacks. */
  unknownProcedures(file: string, source: string): CheckFinding[];
  /** Every finding of `source` as the next version of `flowId`, as `publish` checks it (errors and warnings). */
  checkDraft(flowId: string, source: string): Promise<CheckFinding[]>;
}

export function createFlowPublishing(deps: {
  flowStore: FlowStore;
  fileSources: () => FlowSource[];
  hasViKey: (key: string) => boolean;
  /** the procedure ids of the catalogue in use; unset or undefined (no catalogue) = not checked */
  procedureIds?: () => ReadonlySet<string> | undefined;
  /**
   * where the checks run; default on this thread. The server passes a worker thread
   * (flow-check-thread.ts), so a large draft does not hold up its webhooks.
   */
  runCheck?: (input: DraftCheckInput) => Promise<DraftCheckResult>;
}): FlowPublishing {
  // Which flow each file and published version is, parsed once: listing the current flows (the
  // audit's "before", the console's list) then costs no parsing on the web process.
  const memo: FlowIdMemo = new Map();
  const runCheck = deps.runCheck ?? (async (input: DraftCheckInput) => checkFlowDraft(input, deps.hasViKey, memo));
  function unknownRefs(file: string, refs: { id: string; line?: number }[]): CheckFinding[] {
    const known = deps.procedureIds?.();
    if (!known) return [];
    return refs
      .filter((ref) => !known.has(ref.id))
      .map((ref) => ({ severity: 'error' as const, file, ...(ref.line ? { line: ref.line } : {}), message: `names procedure "${ref.id}", which procedures.yaml does not have` }));
  }
  function unknownProcedures(file: string, source: string): CheckFinding[] {
    return deps.procedureIds?.() ? unknownRefs(file, literalProcedureIds(source)) : [];
  }

  /** The inputs of a check, read without parsing anything (the parsing is the check's work). */
  async function checkInput(flowId: string, source: string): Promise<DraftCheckInput> {
    const published = (await deps.flowStore.latestAll()).filter((s) => !s.flowId.startsWith(DATA_VERSION_PREFIX)); // commune data, not flows
    return { flowId, source, files: deps.fileSources(), published: published.map((s) => ({ flowId: s.flowId, version: s.version, source: s.source })) };
  }

  async function checkDraft(flowId: string, source: string): Promise<CheckFinding[]> {
    const { alone, findings, procedureRefs = [] } = await runCheck(await checkInput(flowId, source));
    return alone ? [...findings, ...unknownRefs(`${flowId} (draft)`, procedureRefs)] : findings;
  }

  return {
    async currentSources() {
      const published = (await deps.flowStore.latestAll()).filter((s) => !s.flowId.startsWith(DATA_VERSION_PREFIX));
      return currentFlowSources(deps.fileSources(), published, memo);
    },
    unknownProcedures,
    checkDraft,
    async publish({ flowId, source, by, now }) {
      const errors = (await checkDraft(flowId, source)).filter((f) => f.severity === 'error');
      if (errors.length > 0) throw refusal(errors);
      const stored = await deps.flowStore.publish(flowId, source, by, now);
      // Checked just now: listing the current flows need not parse it again on this thread.
      memo.set(source, flowId);
      return stored;
    },
  };
}

function refusal(problems: CheckFinding[]): AppError {
  return new AppError('VALIDATION_FAILED', 'the flow does not pass the checks; nothing was published', { problems });
}
