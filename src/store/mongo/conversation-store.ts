import type { ClientSession, Connection } from 'mongoose';
import type { JsonObject } from '../../shared/json';
import type { Conversation, ConversationStore, DailyMessageCount, TranscriptEntry } from '../ports';
import { conversationModels, type ConversationModels, type TranscriptEntryDoc } from './conversation-models';
import { isDuplicateKeyError } from './mongo-errors';

type EntryPatch = Partial<Pick<TranscriptEntry, 'status' | 'platformMessageId' | 'error'>>;

export interface MongoConversationStoreOptions {
  /**
   * Whether `save` runs in a multi-document transaction: true on a replica set or sharded cluster
   * (`createMongoStores` asks the server). A standalone server has no transactions.
   */
  transactions: boolean;
}

/**
 * Conversations (`conversations`), transcripts (`transcript_entries`, one document a line) and last
 * inbound times (`contacts`).
 *
 * How `save` stays safe to retry: every transcript entry is written as an upsert keyed by
 * (key, direction, id) with `$setOnInsert`, so saving the same entries again adds nothing; inbound
 * entries are also held unique by a partial index. On a replica set or sharded cluster the entries
 * and the state are written in one transaction, so either both happen or neither. On a standalone
 * server (local development only) they are two writes: entries first, then state. A crash between
 * them leaves the entries without the new state; the retried save then writes the state and skips
 * the entries. (The opposite order would let a retry see no inbound entry and step the event twice.)
 */
export class MongoConversationStore implements ConversationStore {
  private readonly m: ConversationModels;

  constructor(
    private readonly connection: Connection,
    private readonly opts: MongoConversationStoreOptions,
  ) {
    this.m = conversationModels(connection);
  }

  /** Creates the collections and brings their indexes in line with the schemas. */
  async prepare(): Promise<void> {
    for (const model of Object.values(this.m)) {
      await model.init();
      await model.syncIndexes();
    }
  }

  async get(key: string): Promise<Conversation | null> {
    const doc = await this.m.conversations.findOne({ key }).lean();
    if (!doc) return null;
    return { key: doc.key, channel: doc.channel, userId: doc.userId, state: doc.state as JsonObject, updatedAt: doc.updatedAt };
  }

  async save(conversation: Omit<Conversation, 'updatedAt'>, append: TranscriptEntry[], now: number): Promise<void> {
    const { key, channel, userId, state } = conversation;
    const write = async (session?: ClientSession): Promise<void> => {
      await this.appendEntries(key, append, session);
      await this.m.conversations.updateOne(
        { key },
        { $set: { channel, userId, state, updatedAt: now } },
        { upsert: true, session },
      );
    };
    if (this.opts.transactions) await this.connection.transaction((session) => write(session));
    else await write();
  }

  async appendTranscript(key: string, entry: TranscriptEntry): Promise<void> {
    await this.appendEntries(key, [entry]);
  }

  async updateTranscriptEntry(key: string, id: string, patch: EntryPatch): Promise<void> {
    const set = setOf(patch);
    if (Object.keys(set).length === 0) return;
    await this.m.entries.updateOne({ key, direction: 'out', id }, { $set: set });
  }

  async updateTranscriptEntries(key: string, updates: { id: string; patch: EntryPatch }[]): Promise<void> {
    const ops = updates.map((u) => ({ id: u.id, set: setOf(u.patch) })).filter((u) => Object.keys(u.set).length > 0);
    if (ops.length === 0) return;
    // One round trip for the whole turn instead of one a message.
    await this.m.entries.bulkWrite(
      ops.map((u) => ({ updateOne: { filter: { key, direction: 'out' as const, id: u.id }, update: { $set: u.set } } })),
      { ordered: false },
    );
  }

  async transcript(key: string, limit?: number): Promise<TranscriptEntry[]> {
    if (limit === undefined) {
      const docs = await this.m.entries.find({ key }).sort({ at: 1, seq: 1 }).lean();
      return docs.map(toEntry);
    }
    if (limit <= 0) return [];
    const newestFirst = await this.m.entries.find({ key }).sort({ at: -1, seq: -1 }).limit(limit).lean();
    return newestFirst.reverse().map(toEntry);
  }

  async hasInbound(key: string, eventId: string): Promise<boolean> {
    // direction: 'in' in the filter makes the partial unique index usable.
    return (await this.m.entries.exists({ key, direction: 'in', id: eventId })) !== null;
  }

  async touchInbound(channel: string, userId: string, at: number): Promise<void> {
    const write = () =>
      this.m.contacts.updateOne({ channel, userId }, { $max: { lastInboundAt: at } }, { upsert: true });
    try {
      await write();
    } catch (e) {
      // Two first-ever upserts can race on the unique index; the loser's retry finds the document.
      if (!isDuplicateKeyError(e)) throw e;
      await write();
    }
  }

  async lastInboundAt(channel: string, userId: string): Promise<number | null> {
    const doc = await this.m.contacts.findOne({ channel, userId }, { lastInboundAt: 1 }).lean();
    return doc?.lastInboundAt ?? null;
  }

  async countMessagesByDay(range: { since: number; until: number }): Promise<DailyMessageCount[]> {
    // The `at` index bounds the scan to the window; grouping happens in the server, so only one
    // small document per day and channel comes back, however many messages there were.
    const rows = await this.m.entries.aggregate<{ _id: { day: string; channel: string }; inbound: number; outbound: number }>([
      { $match: { at: { $gte: range.since, $lt: range.until }, $or: [{ direction: 'in' }, { status: 'sent' }] } },
      {
        $group: {
          _id: {
            day: { $dateToString: { format: '%Y-%m-%d', date: { $toDate: '$at' }, timezone: 'Asia/Ho_Chi_Minh' } },
            channel: { $arrayElemAt: [{ $split: ['$key', ':'] }, 0] },
          },
          inbound: { $sum: { $cond: [{ $eq: ['$direction', 'in'] }, 1, 0] } },
          outbound: { $sum: { $cond: [{ $eq: ['$direction', 'out'] }, 1, 0] } },
        },
      },
      { $sort: { '_id.day': 1, '_id.channel': 1 } },
    ]);
    return rows.map((r) => ({ day: r._id.day, channel: r._id.channel, inbound: r.inbound, outbound: r.outbound }));
  }

  private async appendEntries(key: string, entries: TranscriptEntry[], session?: ClientSession): Promise<void> {
    if (entries.length === 0) return;
    const firstSeq = await this.reserveSeq(key, entries.length, session);
    const ops = entries.map((entry, i) => ({
      updateOne: {
        filter: { key, direction: entry.direction, id: entry.id },
        update: { $setOnInsert: entryFields(entry, firstSeq + i) },
        upsert: true,
      },
    }));
    try {
      await this.m.entries.bulkWrite(ops, { ordered: session !== undefined, session });
    } catch (e) {
      // Outside a transaction, a duplicate means a concurrent writer stored that inbound entry first:
      // it is there, which is all this write wanted. Inside one, the transaction is already aborted.
      if (session || !isDuplicateKeyError(e)) throw e;
    }
  }

  /** Reserves `count` consecutive sequence numbers for this conversation; returns the first. */
  private async reserveSeq(key: string, count: number, session?: ClientSession): Promise<number> {
    const counter = await this.m.counters
      .findOneAndUpdate({ _id: key }, { $inc: { seq: count } }, { upsert: true, new: true, session })
      .lean();
    if (!counter) throw new Error(`transcript counter upsert returned nothing for ${key}`);
    return counter.seq - count + 1;
  }
}

/** The fields an upsert sets on insert; key, direction and id come from its filter. Absent options stay absent. */
function entryFields(entry: TranscriptEntry, seq: number): Omit<TranscriptEntryDoc, 'key' | 'direction' | 'id'> {
  const fields: Omit<TranscriptEntryDoc, 'key' | 'direction' | 'id'> = { seq, at: entry.at, text: entry.text };
  if (entry.platformMessageId !== undefined) fields.platformMessageId = entry.platformMessageId;
  if (entry.status !== undefined) fields.status = entry.status;
  if (entry.error !== undefined) fields.error = entry.error;
  return fields;
}

function toEntry(doc: TranscriptEntryDoc): TranscriptEntry {
  const entry: TranscriptEntry = { direction: doc.direction, at: doc.at, id: doc.id, text: doc.text };
  if (doc.platformMessageId != null) entry.platformMessageId = doc.platformMessageId;
  if (doc.status != null) entry.status = doc.status;
  if (doc.error != null) entry.error = doc.error;
  return entry;
}

function setOf(patch: EntryPatch): EntryPatch {
  const set: EntryPatch = {};
  if (patch.status !== undefined) set.status = patch.status;
  if (patch.platformMessageId !== undefined) set.platformMessageId = patch.platformMessageId;
  if (patch.error !== undefined) set.error = patch.error;
  return set;
}
