import { Schema, type Connection, type Model } from 'mongoose';
import type { TranscriptEntry } from '../ports';

export interface ConversationDoc {
  key: string;
  channel: string;
  userId: string;
  // Stored as Mixed. Typed loosely here because mongoose's type machinery recurses without end on
  // the recursive Json type; the adapter writes only JsonObject values, so it reads them back as such.
  state: Record<string, unknown>;
  updatedAt: number;
}

/** One transcript line, in its own document so a transcript grows without bound and `hasInbound` is an index lookup. */
export interface TranscriptEntryDoc extends TranscriptEntry {
  key: string;
  /** per-conversation arrival number: orders entries that share one `at` */
  seq: number;
}

/** The last `seq` handed out for one conversation (`_id` is the conversation key). */
export interface TranscriptCounterDoc {
  _id: string;
  seq: number;
}

export interface ContactDoc {
  channel: string;
  userId: string;
  lastInboundAt: number;
}

export interface ConversationModels {
  conversations: Model<ConversationDoc>;
  entries: Model<TranscriptEntryDoc>;
  counters: Model<TranscriptCounterDoc>;
  contacts: Model<ContactDoc>;
}

const conversationSchema = new Schema<ConversationDoc>(
  {
    key: { type: String, required: true },
    channel: { type: String, required: true },
    userId: { type: String, required: true },
    // Opaque to the store: the engine's JSON state. minimize: false keeps an empty state `{}`.
    state: { type: Schema.Types.Mixed, required: true },
    updatedAt: { type: Number, required: true },
  },
  { collection: 'conversations', minimize: false, versionKey: false },
);
conversationSchema.index({ key: 1 }, { unique: true, name: 'key_unique' });

const transcriptEntrySchema = new Schema<TranscriptEntryDoc>(
  {
    key: { type: String, required: true },
    seq: { type: Number, required: true },
    direction: { type: String, enum: ['in', 'out'], required: true },
    at: { type: Number, required: true },
    id: { type: String, required: true },
    platformMessageId: { type: String },
    text: { type: String, default: '' },
    status: { type: String, enum: ['sent', 'failed', 'pending'] },
    error: { type: String },
  },
  { collection: 'transcript_entries', versionKey: false },
);
transcriptEntrySchema.index({ key: 1, at: 1, seq: 1 }, { name: 'key_at_seq' });
// Dedupe of platform events (invariant 2): one inbound entry per event id and conversation.
transcriptEntrySchema.index(
  { key: 1, direction: 1, id: 1 },
  { unique: true, partialFilterExpression: { direction: 'in' }, name: 'key_inbound_id_unique' },
);
// updateTranscriptEntry finds outbound entries by id; the partial index above covers inbound only.
transcriptEntrySchema.index({ key: 1, id: 1 }, { name: 'key_id' });
// The dashboard's messages per day read a time window across every conversation: a range on `at`.
transcriptEntrySchema.index({ at: 1 }, { name: 'at' });

const transcriptCounterSchema = new Schema<TranscriptCounterDoc>(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { collection: 'transcript_counters', versionKey: false },
);

const contactSchema = new Schema<ContactDoc>(
  {
    channel: { type: String, required: true },
    userId: { type: String, required: true },
    lastInboundAt: { type: Number, required: true },
  },
  { collection: 'contacts', versionKey: false },
);
contactSchema.index({ channel: 1, userId: 1 }, { unique: true, name: 'channel_user_unique' });

/** Compiles the conversation models on this connection (not on mongoose's global one). */
export function conversationModels(connection: Connection): ConversationModels {
  return {
    conversations: connection.model<ConversationDoc>('Conversation', conversationSchema),
    entries: connection.model<TranscriptEntryDoc>('TranscriptEntry', transcriptEntrySchema),
    counters: connection.model<TranscriptCounterDoc>('TranscriptCounter', transcriptCounterSchema),
    contacts: connection.model<ContactDoc>('Contact', contactSchema),
  };
}
