/** One published version of a flow, as an admin saved it. Immutable once published. */
export interface StoredFlowVersion {
  flowId: string;
  /** 1 for the first publish of a flow, then previous max + 1 */
  version: number;
  /** the YAML text, exactly as published */
  source: string;
  /** ms since the epoch */
  publishedAt: number;
  /** the admin account that published it */
  publishedBy: string;
}

/**
 * Published flow versions. Validating the YAML is the caller's job, before `publish`:
 * the store keeps the text as given.
 */
export interface FlowStore {
  /**
   * Stores `source` as the next version of `flowId` (previous max + 1, or 1).
   * Atomic under concurrency: concurrent publishes of one flow get distinct versions.
   */
  publish(flowId: string, source: string, publishedBy: string, now: number): Promise<StoredFlowVersion>;
  /** The newest version of this flow; null if it was never published. */
  latest(flowId: string): Promise<StoredFlowVersion | null>;
  /** The newest version of every flow, ordered by flowId. */
  latestAll(): Promise<StoredFlowVersion[]>;
  /** One version of a flow (conversations keep the version they started with); null if absent. */
  get(flowId: string, version: number): Promise<StoredFlowVersion | null>;
  /** Every version of this flow, oldest first; empty if it was never published. */
  history(flowId: string): Promise<StoredFlowVersion[]>;
}
