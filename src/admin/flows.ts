import { checkFlows, validateFlowSource, type CheckFinding } from '../conversation';
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
}

export function createFlowPublishing(deps: {
  flowStore: FlowStore;
  fileSources: () => FlowSource[];
  hasViKey: (key: string) => boolean;
  /** the procedure ids of the catalogue in use; unset or undefined (no catalogue) = not checked */
  procedureIds?: () => ReadonlySet<string> | undefined;
}): FlowPublishing {
  function unknownProcedures(file: string, source: string): CheckFinding[] {
    const known = deps.procedureIds?.();
    if (!known) return [];
    return literalProcedureIds(source)
      .filter((ref) => !known.has(ref.id))
      .map((ref) => ({ severity: 'error' as const, file, ...(ref.line ? { line: ref.line } : {}), message: `names procedure "${ref.id}", which procedures.yaml does not have` }));
  }

  async function currentSources(): Promise<Map<string, FlowSource>> {
    const byId = new Map<string, FlowSource>();
    for (const f of deps.fileSources()) {
      const r = validateFlowSource(f.source, f.file);
      if (r.ok) byId.set(r.flow.id, f);
    }
    for (const s of await deps.flowStore.latestAll()) {
      if (s.flowId.startsWith(DATA_VERSION_PREFIX)) continue; // commune data, not a flow
      if (validateFlowSource(s.source).ok) byId.set(s.flowId, { file: `${s.flowId}@${s.version}`, source: s.source });
    }
    return byId;
  }

  return {
    currentSources,
    unknownProcedures,
    async publish({ flowId, source, by, now }) {
      const draft = validateFlowSource(source, `${flowId} (draft)`);
      if (!draft.ok) throw refusal(draft.problems.map((p) => ({ severity: 'error', ...p })));
      if (draft.flow.id !== flowId) throw refusal([{ severity: 'error', file: `${flowId} (draft)`, message: `the source declares id "${draft.flow.id}", not "${flowId}"` }]);
      const sources = await currentSources();
      sources.set(flowId, { file: `${flowId} (draft)`, source });
      const errors = [...checkFlows([...sources.values()], deps.hasViKey), ...unknownProcedures(`${flowId} (draft)`, source)].filter((f) => f.severity === 'error');
      if (errors.length > 0) throw refusal(errors);
      return deps.flowStore.publish(flowId, source, by, now);
    },
  };
}

function refusal(problems: CheckFinding[]): AppError {
  return new AppError('VALIDATION_FAILED', 'the flow does not pass the checks; nothing was published', { problems });
}
