import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import {
  HANDOFF_MESSAGES_KEPT,
  HANDOFF_STATUSES,
  randomHandoffCode,
  type Handoff,
  type HandoffEnd,
  type HandoffMessage,
  type HandoffStore,
  type NewHandoff,
  type TakeResult,
} from '../ports/handoffs';
import { isDuplicateKeyError } from './mongo-errors';

/** The stored document: the hand-off, plus `openKey` ("channel:userId") while it is open. */
interface HandoffDoc extends Handoff {
  openKey?: string;
}

const messageSchema = new Schema<HandoffMessage>(
  {
    id: { type: String, required: true },
    at: { type: Number, required: true },
    from: { type: String, enum: ['citizen', 'official'], required: true },
    officialId: { type: String },
    text: { type: String, required: true },
  },
  { _id: false },
);

const handoffSchema = new Schema<HandoffDoc>(
  {
    id: { type: String, required: true },
    code: { type: String, required: true },
    channel: { type: String, required: true },
    userId: { type: String, required: true },
    topic: { type: String, default: '' },
    category: { type: String },
    village: { type: String },
    locale: { type: String },
    notifiedIds: { type: [String], default: [] },
    officialId: { type: String },
    status: { type: String, enum: HANDOFF_STATUSES, required: true },
    createdAt: { type: Number, required: true },
    takenAt: { type: Number },
    endedAt: { type: Number },
    endReason: { type: String, enum: ['official', 'citizen', 'quiet', 'unanswered', 'page_inbox'] },
    lastActivityAt: { type: Number, required: true },
    caseCode: { type: String },
    messages: { type: [messageSchema], default: [] },
    openKey: { type: String },
  },
  { collection: 'handoffs', versionKey: false },
);
handoffSchema.index({ id: 1 }, { unique: true, name: 'id_unique' });
handoffSchema.index({ code: 1 }, { unique: true, name: 'code_unique' });
// At most one open hand-off per conversation: `openKey` exists only while it is open.
handoffSchema.index({ openKey: 1 }, { unique: true, partialFilterExpression: { openKey: { $exists: true } }, name: 'open_conversation_unique' });
handoffSchema.index({ status: 1, createdAt: 1, id: 1 }, { name: 'status_created' });

const openKeyOf = (channel: string, userId: string) => `${channel}:${userId}`;

/** Hand-offs in `handoffs`; every change is one conditional update, so concurrent ones cannot both win. */
export class MongoHandoffStore implements HandoffStore {
  private readonly handoffs: Model<HandoffDoc>;

  constructor(connection: Connection) {
    this.handoffs = connection.model<HandoffDoc>('Handoff', handoffSchema);
  }

  async prepare(): Promise<void> {
    await this.handoffs.init();
    await this.handoffs.syncIndexes();
  }

  async open(input: NewHandoff): Promise<{ created: boolean; handoff: Handoff }> {
    const openKey = openKeyOf(input.channel, input.userId);
    for (let attempt = 0; attempt < 10; attempt++) {
      const existing = await this.handoffs.findOne({ openKey }).lean();
      if (existing) return { created: false, handoff: toHandoff(existing) };
      const doc: HandoffDoc = { ...input, id: randomUUID(), code: randomHandoffCode(), status: 'waiting', lastActivityAt: input.createdAt, messages: [], openKey };
      try {
        await this.handoffs.create(doc);
        return { created: true, handoff: toHandoff(doc) };
      } catch (e) {
        // Either another open one won the conversation (found on the next turn) or the code was taken (drawn again).
        if (!isDuplicateKeyError(e)) throw e;
      }
    }
    throw new Error('could not open a hand-off: codes kept colliding');
  }

  async get(id: string): Promise<Handoff | null> {
    const doc = await this.handoffs.findOne({ id }).lean();
    return doc ? toHandoff(doc) : null;
  }

  async findByCode(code: string): Promise<Handoff | null> {
    const doc = await this.handoffs.findOne({ code }).lean();
    return doc ? toHandoff(doc) : null;
  }

  async findOpen(channel: string, userId: string): Promise<Handoff | null> {
    const doc = await this.handoffs.findOne({ openKey: openKeyOf(channel, userId) }).lean();
    return doc ? toHandoff(doc) : null;
  }

  async listOpen(): Promise<Handoff[]> {
    const docs = await this.handoffs.find({ status: { $in: ['waiting', 'active'] } }).sort({ createdAt: 1, id: 1 }).lean();
    return docs.map(toHandoff);
  }

  async take(id: string, officialId: string, now: number): Promise<TakeResult> {
    const taken = await this.handoffs
      .findOneAndUpdate({ id, status: 'waiting' }, [{ $set: { status: 'active', officialId, takenAt: now, lastActivityAt: { $max: ['$lastActivityAt', now] } } }], { new: true })
      .lean();
    if (taken) return { ok: true, handoff: toHandoff(taken) };
    const doc = await this.handoffs.findOne({ id }).lean();
    if (!doc) return { ok: false, reason: 'unknown' };
    const h = toHandoff(doc);
    if (h.status === 'ended') return { ok: false, reason: 'ended', handoff: h };
    return h.officialId === officialId ? { ok: true, handoff: h } : { ok: false, reason: 'taken', handoff: h };
  }

  async addMessage(id: string, message: HandoffMessage): Promise<Handoff | null> {
    const updated = await this.handoffs
      .findOneAndUpdate(
        { id, status: { $ne: 'ended' }, 'messages.id': { $ne: message.id } },
        { $push: { messages: { $each: [message], $slice: -HANDOFF_MESSAGES_KEPT } }, $max: { lastActivityAt: message.at } },
        { new: true },
      )
      .lean();
    if (updated) return toHandoff(updated);
    // Already recorded (a retry), or not open.
    const doc = await this.handoffs.findOne({ id, status: { $ne: 'ended' } }).lean();
    return doc ? toHandoff(doc) : null;
  }

  async end(id: string, end: HandoffEnd): Promise<Handoff | null> {
    const doc = await this.handoffs
      .findOneAndUpdate(
        { id, status: end.onlyIf ?? { $ne: 'ended' } },
        { $set: { status: 'ended', endReason: end.reason, endedAt: end.at, ...(end.caseCode !== undefined ? { caseCode: end.caseCode } : {}) }, $unset: { openKey: 1 } },
        { new: true },
      )
      .lean();
    return doc ? toHandoff(doc) : null;
  }
}

function toHandoff(doc: HandoffDoc & { _id?: unknown }): Handoff {
  const h: Handoff = {
    id: doc.id,
    code: doc.code,
    channel: doc.channel,
    userId: doc.userId,
    topic: doc.topic ?? '',
    notifiedIds: [...(doc.notifiedIds ?? [])],
    status: doc.status,
    createdAt: doc.createdAt,
    lastActivityAt: doc.lastActivityAt,
    messages: (doc.messages ?? []).map((m) => ({ id: m.id, at: m.at, from: m.from, text: m.text, ...(m.officialId !== undefined ? { officialId: m.officialId } : {}) })),
  };
  for (const k of ['category', 'village', 'locale', 'officialId', 'takenAt', 'endedAt', 'endReason', 'caseCode'] as const) {
    if (doc[k] !== undefined && doc[k] !== null) (h as unknown as Record<string, unknown>)[k] = doc[k];
  }
  return h;
}
