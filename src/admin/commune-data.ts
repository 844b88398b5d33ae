import { checkDataFiles, dataFileOfVersionId, dataVersionId, DATA_FILES, type DataFileName, type DataProblem, type DataSources } from '../civic/commune-data/data-files';
import { AppError } from '../shared/app-error';
import type { FlowStore, StoredFlowVersion } from '../store/ports/flows';
import type { FlowSource } from './flows';

export interface DataFileInUse {
  /** the file's name, or `data:<name>@<version>` for a published version */
  from: string;
  source: string;
}

export interface CommuneDataPublishing {
  /** The data files as the services use them: the files, overridden by the published versions that pass. */
  currentSources(): Promise<Map<DataFileName, DataFileInUse>>;
  /** The checks of publishing and `npm run flows:check`, on a draft of one file with the others in use; stores nothing. */
  check(name: DataFileName, source: string): Promise<{ ok: boolean; problems: DataProblem[] }>;
  /** Checks, then stores the next version. Refuses with VALIDATION_FAILED and every problem; nothing is stored then. */
  publish(input: { name: DataFileName; source: string; by: string; now: number }): Promise<StoredFlowVersion>;
  history(name: DataFileName): Promise<StoredFlowVersion[]>;
  version(name: DataFileName, version: number): Promise<StoredFlowVersion | null>;
}

/**
 * Publishing the commune's data files (commune profile, procedures, routing, holidays, office hours, desk). Versions
 * are kept in the flow store under reserved ids (`data:<name>`); each process takes them into use by
 * polling (commune-data-in-use), the same way as flows.
 */
export function createCommuneDataPublishing(deps: { flowStore: FlowStore; fileSources: () => DataSources; flowSources: () => Promise<FlowSource[]> }): CommuneDataPublishing {
  const { flowStore } = deps;

  async function inUse(): Promise<{ sources: DataSources; from: Partial<Record<DataFileName, string>> }> {
    let sources = deps.fileSources();
    const from: Partial<Record<DataFileName, string>> = Object.fromEntries(Object.keys(sources).map((n) => [n, n]));
    const stored = (await flowStore.latestAll()).filter((s) => dataFileOfVersionId(s.flowId) !== undefined);
    // In publishing order, as every process applies them: a version that does not pass is skipped.
    for (const s of stored.sort((a, b) => a.publishedAt - b.publishedAt || a.flowId.localeCompare(b.flowId))) {
      const name = dataFileOfVersionId(s.flowId) as DataFileName;
      const candidate = { ...sources, [name]: s.source };
      if (!checkDataFiles(candidate).ok) continue;
      sources = candidate;
      from[name] = `${s.flowId}@${s.version}`;
    }
    return { sources, from };
  }

  async function check(name: DataFileName, source: string): Promise<{ ok: boolean; problems: DataProblem[] }> {
    const { sources } = await inUse();
    const checked = checkDataFiles({ ...sources, [name]: source }, { flows: await deps.flowSources(), label: (n) => (n === name ? `${n} (draft)` : n) });
    return { ok: checked.ok, problems: checked.problems };
  }

  return {
    async currentSources() {
      const { sources, from } = await inUse();
      const out = new Map<DataFileName, DataFileInUse>();
      for (const name of DATA_FILES) {
        const source = sources[name];
        if (source !== undefined) out.set(name, { from: from[name] ?? name, source });
      }
      return out;
    },
    check,
    async publish({ name, source, by, now }) {
      const checked = await check(name, source);
      if (!checked.ok) throw new AppError('VALIDATION_FAILED', `${name} does not pass the checks; nothing was published`, { problems: checked.problems });
      return flowStore.publish(dataVersionId(name), source, by, now);
    },
    history: (name) => flowStore.history(dataVersionId(name)),
    version: (name, version) => flowStore.get(dataVersionId(name), version),
  };
}
