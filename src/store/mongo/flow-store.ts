import { Schema, type Connection, type Model } from 'mongoose';
import type { FlowStore, StoredFlowVersion } from '../ports';
import { isDuplicateKeyError } from './mongo-errors';

const flowVersionSchema = new Schema<StoredFlowVersion>(
  {
    flowId: { type: String, required: true },
    version: { type: Number, required: true },
    source: { type: String, required: true },
    publishedAt: { type: Number, required: true },
    publishedBy: { type: String, required: true },
  },
  { collection: 'flow_versions', versionKey: false },
);
flowVersionSchema.index({ flowId: 1, version: 1 }, { unique: true, name: 'flow_version_unique' });

export interface MongoFlowStoreOptions {
  /** publish attempts before giving up when other publishes of the same flow keep winning; default 50 */
  maxPublishAttempts?: number;
}

/**
 * Published flow versions in `flow_versions`, one document per version. `publish` reads the highest
 * version and inserts the next one; the unique index on (flowId, version) turns a concurrent publish
 * that chose the same number into a duplicate-key error, and the loser tries again with a fresh read.
 * Every round has a winner, so n concurrent publishes finish within n attempts.
 */
export class MongoFlowStore implements FlowStore {
  private readonly versions: Model<StoredFlowVersion>;
  private readonly maxPublishAttempts: number;

  constructor(connection: Connection, opts: MongoFlowStoreOptions = {}) {
    const { maxPublishAttempts = 50 } = opts;
    this.versions = connection.model<StoredFlowVersion>('FlowVersion', flowVersionSchema);
    this.maxPublishAttempts = maxPublishAttempts;
  }

  /** Creates the collection and brings its indexes in line with the schema. */
  async prepare(): Promise<void> {
    await this.versions.init();
    await this.versions.syncIndexes();
  }

  async publish(flowId: string, source: string, publishedBy: string, now: number): Promise<StoredFlowVersion> {
    for (let attempt = 1; ; attempt++) {
      const last = await this.latest(flowId);
      const stored: StoredFlowVersion = { flowId, version: (last?.version ?? 0) + 1, source, publishedAt: now, publishedBy };
      try {
        await this.versions.create(stored);
        return stored;
      } catch (e) {
        if (!isDuplicateKeyError(e) || attempt >= this.maxPublishAttempts) throw e;
      }
    }
  }

  async latest(flowId: string): Promise<StoredFlowVersion | null> {
    const doc = await this.versions.findOne({ flowId }).sort({ version: -1 }).lean();
    return doc ? toStored(doc) : null;
  }

  async latestAll(): Promise<StoredFlowVersion[]> {
    // The sort follows the (flowId, version) index, so $last is each flow's highest version.
    const docs = await this.versions.aggregate<StoredFlowVersion>([
      { $sort: { flowId: 1, version: 1 } },
      { $group: { _id: '$flowId', newest: { $last: '$$ROOT' } } },
      { $replaceWith: '$newest' },
      { $sort: { flowId: 1 } },
    ]);
    return docs.map(toStored);
  }

  async get(flowId: string, version: number): Promise<StoredFlowVersion | null> {
    const doc = await this.versions.findOne({ flowId, version }).lean();
    return doc ? toStored(doc) : null;
  }

  async history(flowId: string): Promise<StoredFlowVersion[]> {
    const docs = await this.versions.find({ flowId }).sort({ version: 1 }).lean();
    return docs.map(toStored);
  }
}

// Field by field, so _id never crosses the port.
function toStored(doc: StoredFlowVersion): StoredFlowVersion {
  return {
    flowId: doc.flowId,
    version: doc.version,
    source: doc.source,
    publishedAt: doc.publishedAt,
    publishedBy: doc.publishedBy,
  };
}
