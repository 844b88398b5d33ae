import { Schema, Types, type Connection, type Model } from 'mongoose';
import type { AuditEntry, AuditFilter, AuditLog, NewAuditEntry } from '../ports/audit';

interface AuditDoc extends NewAuditEntry {
  _id: Types.ObjectId;
}

const auditSchema = new Schema<AuditDoc>(
  {
    at: { type: Number, required: true },
    actor: { type: String, required: true },
    action: { type: String, required: true },
    target: { type: String, required: true },
    // Mixed: the records as they were; minimize off so an empty object stays an object.
    before: { type: Schema.Types.Mixed, default: null },
    after: { type: Schema.Types.Mixed, default: null },
  },
  { collection: 'audit_log', versionKey: false, minimize: false, strictQuery: true },
);
auditSchema.index({ target: 1, _id: -1 }, { name: 'by_target' });
auditSchema.index({ actor: 1, _id: -1 }, { name: 'by_actor' });
auditSchema.index({ action: 1, _id: -1 }, { name: 'by_action' });

/**
 * The audit log in `audit_log`. Only inserts and finds: the adapter has no code path that updates
 * or deletes an entry. The id is the ObjectId's hex, which grows with time.
 */
export class MongoAuditLog implements AuditLog {
  private readonly entries: Model<AuditDoc>;

  constructor(connection: Connection) {
    this.entries = connection.model<AuditDoc>('AuditEntry', auditSchema);
  }

  async prepare(): Promise<void> {
    await this.entries.init();
    await this.entries.syncIndexes();
  }

  async append(entry: NewAuditEntry): Promise<AuditEntry> {
    const _id = new Types.ObjectId();
    const doc = { _id, at: entry.at, actor: entry.actor, action: entry.action, target: entry.target, before: entry.before ?? null, after: entry.after ?? null };
    await this.entries.create(doc);
    return toEntry(doc);
  }

  async list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const { actor, target, action, limit = 100, beforeId } = filter;
    const query: Record<string, unknown> = {};
    if (actor !== undefined) query.actor = { $eq: String(actor) };
    if (target !== undefined) query.target = { $eq: String(target) };
    if (action !== undefined) query.action = { $eq: String(action) };
    if (beforeId !== undefined) {
      if (!Types.ObjectId.isValid(beforeId) || !/^[0-9a-f]{24}$/.test(beforeId)) return [];
      query._id = { $lt: new Types.ObjectId(beforeId) };
    }
    const docs = await this.entries.find(query).sort({ _id: -1 }).limit(Math.min(limit, 1000)).lean();
    return docs.map((d) => toEntry(d as AuditDoc));
  }
}

function toEntry(doc: AuditDoc): AuditEntry {
  return { id: doc._id.toHexString(), at: doc.at, actor: doc.actor, action: doc.action, target: doc.target, before: doc.before ?? null, after: doc.after ?? null };
}
