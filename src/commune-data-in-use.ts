import { checkDataFiles, dataFileOfVersionId, type DataFileName, type DataSources } from './civic/commune-data/data-files';
import { communeDataFrom, readDataSources, type CommuneData } from './commune-data';
import type { Logger } from './shared/logger';
import type { FlowStore } from './store/ports/flows';

/**
 * An object of type T that reads every property from `read()` at the moment it is used, so a
 * consumer given it once at start-up always sees the data in use now. Read-only: writes are refused.
 * Only the top level is a view: a consumer that keeps a nested part (`view.procedures`) keeps that
 * version of it, which is why consumers hold the view itself.
 */
export function liveView<T extends object>(read: () => T): T {
  return new Proxy({} as T, {
    get: (_target, key) => Reflect.get(read(), key),
    has: (_target, key) => Reflect.has(read(), key),
    ownKeys: () => Reflect.ownKeys(read()),
    getOwnPropertyDescriptor: (_target, key) => {
      const d = Reflect.getOwnPropertyDescriptor(read(), key);
      // The proxy's own target is empty: a descriptor must be configurable to be reported.
      return d ? { ...d, configurable: true } : undefined;
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}

export interface CommuneDataInUse {
  /** the data in use now */
  current(): CommuneData;
  /** where each file in use comes from: its name, or `data:<name>@<version>` for a published version */
  origins(): Partial<Record<DataFileName, string>>;
  /** Applies versions published since the last call (coalesced when called concurrently). */
  refresh(): Promise<void>;
  /**
   * Views that always read the current data, for the factories built once at start-up. The
   * capabilities are the ones the files gave at start: a file published where none was at start
   * is taken into use by the next start.
   */
  live: {
    catalogue: CommuneData['catalogue'];
    /** the commune's facts per language (commune.yaml), as the texts say them */
    texts: CommuneData['texts'];
    cases: NonNullable<CommuneData['cases']> | null;
    desk: NonNullable<CommuneData['desk']> | null;
  };
}

/**
 * The commune data every process uses: the files (an invalid file stops the start), then the
 * versions admins published, picked up by polling the flow store. Each stored version is tried
 * with the others in use; one that does not pass is skipped with an error log and the last valid
 * one stays. `onChange` runs after a new version is taken into use (e.g. seeding new officials).
 * Bookings already made and due dates already set keep what they were given.
 */
export function createCommuneDataInUse(deps: { dir: string; flowStore: FlowStore; log: Logger; onChange?: (data: CommuneData) => Promise<void> }): CommuneDataInUse {
  const { flowStore, log } = deps;
  let sources: DataSources = readDataSources(deps.dir);
  let data = communeDataFrom(sources);
  const origins: Partial<Record<DataFileName, string>> = Object.fromEntries(Object.keys(sources).map((n) => [n, n]));
  const applied = new Set<string>();
  let refreshing: Promise<void> | null = null;

  async function applyStored(): Promise<void> {
    const stored = (await flowStore.latestAll()).filter((s) => dataFileOfVersionId(s.flowId) !== undefined);
    let changed = false;
    for (const s of stored.sort((a, b) => a.publishedAt - b.publishedAt || a.flowId.localeCompare(b.flowId))) {
      const key = `${s.flowId}@${s.version}`;
      if (applied.has(key)) continue;
      applied.add(key);
      const name = dataFileOfVersionId(s.flowId) as DataFileName;
      const candidate = { ...sources, [name]: s.source };
      const checked = checkDataFiles(candidate);
      if (!checked.ok) {
        log.error({ file: name, version: s.version, problems: checked.problems }, 'published commune data does not load; the previous version stays in use');
        continue;
      }
      sources = candidate;
      data = communeDataFrom(sources);
      origins[name] = key;
      changed = true;
      log.info({ file: name, version: s.version }, 'published commune data in use');
    }
    if (changed && deps.onChange) await deps.onChange(data);
  }

  const cases = data.cases;
  const desk = data.desk;
  return {
    current: () => data,
    origins: () => ({ ...origins }),
    refresh() {
      refreshing ??= applyStored().finally(() => {
        refreshing = null;
      });
      return refreshing;
    },
    live: {
      catalogue: liveView(() => data.catalogue),
      texts: liveView(() => data.texts),
      // The last assembled value stands in if a capability ever went away: it cannot, since every
      // version is checked with the files present, but a view must never read null.
      cases: cases ? { routing: liveView(() => (data.cases ?? cases).routing), calendar: liveView(() => (data.cases ?? cases).calendar) } : null,
      desk: desk ? liveView(() => data.desk ?? desk) : null,
    },
  };
}
