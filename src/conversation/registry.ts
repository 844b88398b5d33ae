import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Flow } from './schema';
import { buildTriggerIndex, type TriggerIndex } from './triggers';
import { parseUnderstanding, type Understanding } from './understanding';
import { validateFlowSource, type FlowProblem } from './validate';

/**
 * The commune's facts as the texts say them, per language: name, controller, address, phones,
 * disaster line, reception days, hours. The commune profile (flows/data/commune.yaml) is their one
 * source; the composition root reads it and gives the registry its texts. A fact not known is "".
 */
export type CommuneTexts = Readonly<Record<'vi' | 'en', Readonly<Record<string, string>>>>;

/** The word lists that read messages before the flows (emergencies, problems, small talk, other offices). */
export const UNDERSTANDING_FILE = 'understanding.yaml';

/** Start-up refuses invalid flows: this names every invalid file. Matched by `name`. */
export class FlowLoadError extends Error {
  override readonly name = 'FlowLoadError';
  constructor(readonly problems: FlowProblem[]) {
    super(`invalid flows:\n${problems.map((p) => `  ${p.file}${p.line ? `:${p.line}` : ''} ${p.message}`).join('\n')}`);
  }
}

/**
 * Every flow version seen so far, and which one is the newest of each flow. Immutable: adding a
 * version returns a new registry, so a step in progress never sees the registry change under it.
 * Conversations look up the version they started on (invariant 7); new ones start on the newest.
 */
export class FlowRegistry {
  private triggerIndex: TriggerIndex | undefined;

  private constructor(
    /** every version, oldest first, per flow id */
    private readonly all: ReadonlyMap<string, readonly Flow[]>,
    private readonly newest: ReadonlyMap<string, Flow>,
    /** the word lists of data/understanding.yaml; none: messages go straight to the flows' triggers */
    readonly understanding?: Understanding,
    /** the commune's facts (data/commune.yaml), read by templates as {{commune.<key>}} */
    readonly commune?: CommuneTexts,
  ) {}

  static empty(): FlowRegistry {
    return new FlowRegistry(new Map(), new Map());
  }

  /** A registry reading messages with `understanding` (emergencies, problems, small talk…). */
  withUnderstanding(understanding: Understanding | undefined): FlowRegistry {
    return new FlowRegistry(this.all, this.newest, understanding, this.commune);
  }

  /** A registry whose texts say the commune's facts (`{{commune.address}}`, `{{commune.controller}}`…). */
  withCommune(commune: CommuneTexts | undefined): FlowRegistry {
    return new FlowRegistry(this.all, this.newest, this.understanding, commune);
  }

  /** The newest version of a flow. */
  latest(flowId: string): Flow | undefined {
    return this.newest.get(flowId);
  }

  /**
   * One version of a flow. `rev` (the source's fingerprint) wins over the number: a published v1 and
   * the file's v1 are different flows with the same number.
   */
  get(flowId: string, version: number, rev?: string): Flow | undefined {
    const versions = this.all.get(flowId) ?? [];
    if (rev !== undefined) {
      const exact = versions.find((f) => f.rev === rev && f.version === version);
      if (exact) return exact;
    }
    for (let i = versions.length - 1; i >= 0; i--) if (versions[i].version === version) return versions[i];
    return undefined;
  }

  /** Every version of one flow, in the order they were added. */
  versions(flowId: string): readonly Flow[] {
    return this.all.get(flowId) ?? [];
  }

  /** The newest version of every flow, ordered by id. */
  list(): Flow[] {
    return [...this.newest.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** @internal the trigger index over the newest versions, built once per registry */
  triggers(): TriggerIndex {
    this.triggerIndex ??= buildTriggerIndex(this.list());
    return this.triggerIndex;
  }

  /** A registry with `flow` added; it becomes the newest unless a higher version is already known. */
  withFlow(flow: Flow): FlowRegistry {
    const all = new Map(this.all);
    all.set(flow.id, [...(all.get(flow.id) ?? []), flow]);
    const newest = new Map(this.newest);
    const current = newest.get(flow.id);
    if (!current || flow.version >= current.version) newest.set(flow.id, flow);
    return new FlowRegistry(all, newest, this.understanding, this.commune);
  }

  /**
   * A registry with a published version of `flowId` added. `version` defaults to the highest known + 1.
   * Throws FlowLoadError when the source is invalid or names another flow id.
   */
  withVersion(flowId: string, source: string, version?: number): FlowRegistry {
    const file = `${flowId}@${version ?? 'next'}`;
    const r = validateFlowSource(source, file);
    if (!r.ok) throw new FlowLoadError(r.problems);
    if (r.flow.id !== flowId) throw new FlowLoadError([{ file, message: `the source is flow "${r.flow.id}", not "${flowId}"` }]);
    const max = Math.max(0, ...this.versions(flowId).map((f) => f.version));
    return this.withFlow({ ...r.flow, version: version ?? max + 1 });
  }
}

/**
 * Reads dir/*.yaml (top level only: dir/data/ and dir/tests/ are not flows), validates each, then
 * reads dir/data/understanding.yaml when present,
 * applies `stored` (admin-published versions override the file for that flow id).
 * Throws FlowLoadError naming every invalid file.
 */
export function loadFlowRegistry(dir: string, stored: { flowId: string; version: number; source: string }[] = []): FlowRegistry {
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => e.name)
    .sort();
  const problems: FlowProblem[] = [];
  let registry = FlowRegistry.empty();
  const fileOf = new Map<string, string>();
  for (const name of files) {
    const r = validateFlowSource(readFileSync(join(dir, name), 'utf8'), name);
    if (!r.ok) {
      problems.push(...r.problems);
      continue;
    }
    const other = fileOf.get(r.flow.id);
    if (other) {
      problems.push({ file: name, message: `flow id "${r.flow.id}" is already used by ${other}` });
      continue;
    }
    fileOf.set(r.flow.id, name);
    registry = registry.withFlow(r.flow);
  }
  for (const s of [...stored].sort((a, b) => a.version - b.version)) {
    try {
      registry = registry.withVersion(s.flowId, s.source, s.version);
    } catch (e) {
      if (e instanceof FlowLoadError) problems.push(...e.problems);
      else throw e;
    }
  }
  const understandingFile = join(dir, 'data', UNDERSTANDING_FILE);
  if (existsSync(understandingFile)) {
    const u = parseUnderstanding(readFileSync(understandingFile, 'utf8'));
    if (u.ok) registry = registry.withUnderstanding(u.understanding);
    else problems.push(...u.problems.map((p) => ({ file: join('data', UNDERSTANDING_FILE), line: p.line, message: p.message })));
  }
  if (problems.length > 0) throw new FlowLoadError(problems);
  return registry;
}
