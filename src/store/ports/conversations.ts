import type { JsonObject } from '../../shared/json';

/** One line of a conversation's transcript: every message in and out, with the platform's ids. */
export interface TranscriptEntry {
  direction: 'in' | 'out';
  /** ms since the epoch */
  at: number;
  /** the inbound event id (dedupe key) or, for outbound, our own id of the reply */
  id: string;
  /** the platform's message id (Messenger mid, Zalo msg_id / message_id) when known */
  platformMessageId?: string;
  /** text, payload, or a short description such as "[image]" */
  text: string;
  status?: 'sent' | 'failed' | 'pending';
  /** failure reason for outbound messages that were not delivered */
  error?: string;
}

export interface Conversation {
  /** `${channel}:${userId}` */
  key: string;
  channel: string;
  userId: string;
  /** the engine's state, opaque to the store */
  state: JsonObject;
  /** ms since the epoch of the last save */
  updatedAt: number;
}

/** Messages of one channel on one day (Asia/Ho_Chi_Minh), for the console's dashboard. */
export interface DailyMessageCount {
  /** yyyy-mm-dd in Vietnam time, whatever the server's TZ */
  day: string;
  channel: string;
  /** inbound transcript entries: everything the people wrote or did */
  inbound: number;
  /** outbound transcript entries the platform took (status 'sent'); pending and failed ones are not counted */
  outbound: number;
}

/** Vietnam has kept UTC+7 without daylight saving since 1975. */
const VIETNAM_OFFSET_MS = 7 * 3600_000;

/** The Vietnam calendar day (yyyy-mm-dd) of a time in ms since the epoch. */
export function vietnamDayOf(at: number): string {
  return new Date(at + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

export interface ConversationStore {
  get(key: string): Promise<Conversation | null>;
  /** Saves state and appends transcript entries in one write: either both happen or neither. */
  save(conversation: Omit<Conversation, 'updatedAt'>, append: TranscriptEntry[], now: number): Promise<void>;
  /** Appends to the transcript of an existing or new conversation (e.g. the outcome of a send). */
  appendTranscript(key: string, entry: TranscriptEntry): Promise<void>;
  /** Updates the outbound entry with this id (status, platform id, error). No-op if absent. */
  updateTranscriptEntry(key: string, id: string, patch: Partial<Pick<TranscriptEntry, 'status' | 'platformMessageId' | 'error'>>): Promise<void>;
  /** Updates several outbound entries of one conversation in one write (a turn's sends); absent ids are skipped. */
  updateTranscriptEntries(key: string, updates: { id: string; patch: Partial<Pick<TranscriptEntry, 'status' | 'platformMessageId' | 'error'>> }[]): Promise<void>;
  /** The latest `limit` entries, oldest first. */
  transcript(key: string, limit?: number): Promise<TranscriptEntry[]>;
  /** True when an inbound entry with this event id is already in the transcript. */
  hasInbound(key: string, eventId: string): Promise<boolean>;
  /** Records the person's latest inbound time on a channel (kept as the max of what was recorded). */
  touchInbound(channel: string, userId: string, at: number): Promise<void>;
  /** The person's latest inbound time on that channel, for the messaging windows; null if never. */
  lastInboundAt(channel: string, userId: string): Promise<number | null>;
  /**
   * Transcript entries with `since` <= at < `until`, counted per Vietnam day and channel (the part
   * of the conversation key before the first ':'). Only days and channels with a message appear,
   * ordered by day, then channel.
   */
  countMessagesByDay(range: { since: number; until: number }): Promise<DailyMessageCount[]>;
}
