import type { FlowStore, StoredFlowVersion } from '../ports';

/** Published flow versions in a Map of per-flow lists (index = version - 1); copies out. */
export class MemoryFlowStore implements FlowStore {
  private readonly flows = new Map<string, StoredFlowVersion[]>();

  async publish(flowId: string, source: string, publishedBy: string, now: number): Promise<StoredFlowVersion> {
    // No await before the push: the version is chosen and taken in one turn of the event loop,
    // so concurrent publishes cannot pick the same number.
    let versions = this.flows.get(flowId);
    if (!versions) {
      versions = [];
      this.flows.set(flowId, versions);
    }
    const stored: StoredFlowVersion = { flowId, version: versions.length + 1, source, publishedAt: now, publishedBy };
    versions.push(stored);
    return { ...stored };
  }

  async latest(flowId: string): Promise<StoredFlowVersion | null> {
    const versions = this.flows.get(flowId);
    return versions && versions.length > 0 ? { ...versions[versions.length - 1] } : null;
  }

  async latestAll(): Promise<StoredFlowVersion[]> {
    return [...this.flows.keys()]
      .sort(compareFlowIds)
      .flatMap((flowId) => {
        const versions = this.flows.get(flowId) ?? [];
        return versions.length > 0 ? [{ ...versions[versions.length - 1] }] : [];
      });
  }

  async get(flowId: string, version: number): Promise<StoredFlowVersion | null> {
    const found = this.flows.get(flowId)?.find((v) => v.version === version);
    return found ? { ...found } : null;
  }

  async history(flowId: string): Promise<StoredFlowVersion[]> {
    return (this.flows.get(flowId) ?? []).map((v) => ({ ...v }));
  }
}

// Code-unit order, the same as MongoDB's default (simple binary) collation for strings.
function compareFlowIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
