import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlowLoadError, loadFlowRegistry, type CommuneTexts, type FlowRegistry, type validateFlowSource } from './conversation';
import type { FlowSource } from './admin/flows';
import { DATA_VERSION_PREFIX } from './civic/commune-data/data-files';
import type { Logger } from './shared/logger';
import type { FlowStore } from './store/ports/flows';

/**
 * The flows every process uses: the files (an invalid file stops the start), plus the versions
 * admins published, picked up by polling the store so that a publish reaches every process
 * without a deploy. A stored version that does not load is skipped with an error log: the last
 * valid version stays in use. Old versions stay in the registry, so a conversation keeps the
 * version it started on (invariant 7).
 */
export function createFlowsInUse(deps: {
  dir: string;
  flowStore: FlowStore;
  log: Logger;
  /** the commune's facts in use now (commune.yaml, published or not): the texts' {{commune.…}} */
  commune?: () => CommuneTexts | undefined;
  /**
   * where a published version is parsed; default on this thread. The web process passes the flow
   * check thread: a 256 kB version takes 100 ms and more to read, which webhooks must not wait for.
   */
  parse?: (source: string, file: string) => Promise<ReturnType<typeof validateFlowSource>>;
}) {
  const { dir, flowStore, log, parse } = deps;
  let registry: FlowRegistry = loadFlowRegistry(dir);
  // One registry per (flows, facts) pair: its trigger index is built once, not on every step.
  let withFacts: { base: FlowRegistry; facts: CommuneTexts | undefined; registry: FlowRegistry } | undefined;
  const current = (): FlowRegistry => {
    const facts = deps.commune?.();
    if (!facts) return registry;
    if (withFacts?.base !== registry || withFacts.facts !== facts) withFacts = { base: registry, facts, registry: registry.withCommune(facts) };
    return withFacts.registry;
  };
  const applied = new Set<string>();
  let refreshing: Promise<void> | null = null;

  async function applyStored(): Promise<void> {
    // The commune data's versions share the store under reserved ids (see commune-data-in-use).
    const stored = (await flowStore.latestAll()).filter((s) => !s.flowId.startsWith(DATA_VERSION_PREFIX));
    for (const s of stored.sort((a, b) => a.version - b.version)) {
      const key = `${s.flowId}@${s.version}`;
      if (applied.has(key)) continue;
      applied.add(key);
      try {
        if (parse) {
          const r = await parse(s.source, key);
          if (!r.ok) throw new FlowLoadError(r.problems);
          if (r.flow.id !== s.flowId) throw new FlowLoadError([{ file: key, message: `the source is flow "${r.flow.id}", not "${s.flowId}"` }]);
          registry = registry.withFlow({ ...r.flow, version: s.version });
        } else registry = registry.withVersion(s.flowId, s.source, s.version);
        log.info({ flow: s.flowId, version: s.version }, 'published flow version in use');
      } catch (err) {
        const problems = err instanceof FlowLoadError ? err.problems : [{ file: key, message: (err as Error).message }];
        log.error({ flow: s.flowId, version: s.version, problems }, 'published flow version does not load; the previous version stays in use');
      }
    }
  }

  return {
    current,
    /** Applies versions published since the last call (coalesced when called concurrently). */
    refresh(): Promise<void> {
      refreshing ??= applyStored().finally(() => {
        refreshing = null;
      });
      return refreshing;
    },
    fileSources(): FlowSource[] {
      return readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
        .map((e) => ({ file: e.name, source: readFileSync(join(dir, e.name), 'utf8') }));
    },
  };
}
