import { vietnamDayOf, type Conversation, type ConversationStore, type DailyMessageCount, type TranscriptEntry } from '../ports';

type EntryPatch = Partial<Pick<TranscriptEntry, 'status' | 'platformMessageId' | 'error'>>;

/**
 * Conversations, transcripts and last inbound times in Maps: the default when MONGODB_URI is unset.
 * Everything goes in and comes out as a copy, so callers cannot change stored data by mutation.
 * Transcripts are kept whole (tests read the full order). Like the mongo adapter, an entry whose
 * (direction, id) is already in the transcript is skipped, so a retried save adds nothing twice;
 * entries are ordered by `at`, then by arrival.
 */
export class MemoryConversationStore implements ConversationStore {
  private readonly conversations = new Map<string, Conversation>();
  private readonly transcripts = new Map<string, TranscriptEntry[]>();
  /** per conversation, its entries by direction and id: appends and lookups stay O(1) as transcripts grow */
  private readonly entryIndex = new Map<string, Map<string, TranscriptEntry>>();
  private readonly lastInbound = new Map<string, number>();

  async get(key: string): Promise<Conversation | null> {
    const found = this.conversations.get(key);
    return found ? structuredClone(found) : null;
  }

  async save(conversation: Omit<Conversation, 'updatedAt'>, append: TranscriptEntry[], now: number): Promise<void> {
    // Copy first: a structuredClone failure (non-cloneable state) must leave nothing half-written.
    const stored: Conversation = structuredClone({ ...conversation, updatedAt: now });
    const entries = structuredClone(append);
    this.conversations.set(stored.key, stored);
    for (const entry of entries) this.insert(stored.key, entry);
  }

  async appendTranscript(key: string, entry: TranscriptEntry): Promise<void> {
    this.insert(key, structuredClone(entry));
  }

  async updateTranscriptEntry(key: string, id: string, patch: EntryPatch): Promise<void> {
    const entry = this.entryIndex.get(key)?.get(entryKey('out', id));
    if (!entry) return;
    if (patch.status !== undefined) entry.status = patch.status;
    if (patch.platformMessageId !== undefined) entry.platformMessageId = patch.platformMessageId;
    if (patch.error !== undefined) entry.error = patch.error;
  }

  async updateTranscriptEntries(key: string, updates: { id: string; patch: EntryPatch }[]): Promise<void> {
    for (const u of updates) await this.updateTranscriptEntry(key, u.id, u.patch);
  }

  async transcript(key: string, limit?: number): Promise<TranscriptEntry[]> {
    const all = this.transcripts.get(key) ?? [];
    const chosen = limit === undefined ? all : limit <= 0 ? [] : all.slice(-limit);
    return structuredClone(chosen);
  }

  async hasInbound(key: string, eventId: string): Promise<boolean> {
    return this.entryIndex.get(key)?.has(entryKey('in', eventId)) ?? false;
  }

  async touchInbound(channel: string, userId: string, at: number): Promise<void> {
    const k = contactKey(channel, userId);
    this.lastInbound.set(k, Math.max(at, this.lastInbound.get(k) ?? at));
  }

  async lastInboundAt(channel: string, userId: string): Promise<number | null> {
    return this.lastInbound.get(contactKey(channel, userId)) ?? null;
  }

  async countMessagesByDay(range: { since: number; until: number }): Promise<DailyMessageCount[]> {
    const counts = new Map<string, DailyMessageCount>();
    for (const [key, entries] of this.transcripts) {
      const cut = key.indexOf(':');
      const channel = cut < 0 ? key : key.slice(0, cut);
      for (const e of entries) {
        if (e.at < range.since || e.at >= range.until || (e.direction === 'out' && e.status !== 'sent')) continue;
        const day = vietnamDayOf(e.at);
        const k = JSON.stringify([day, channel]);
        const c = counts.get(k) ?? { day, channel, inbound: 0, outbound: 0 };
        if (e.direction === 'in') c.inbound += 1;
        else c.outbound += 1;
        counts.set(k, c);
      }
    }
    return [...counts.values()].sort((a, b) => (a.day === b.day ? (a.channel < b.channel ? -1 : 1) : a.day < b.day ? -1 : 1));
  }

  private insert(key: string, entry: TranscriptEntry): void {
    let list = this.transcripts.get(key);
    let index = this.entryIndex.get(key);
    if (!list || !index) {
      list = [];
      index = new Map();
      this.transcripts.set(key, list);
      this.entryIndex.set(key, index);
    }
    const k = entryKey(entry.direction, entry.id);
    if (index.has(k)) return;
    index.set(k, entry);
    // After every entry at the same or an earlier time: the (at, seq) order of the mongo adapter.
    let i = list.length;
    while (i > 0 && list[i - 1].at > entry.at) i--;
    list.splice(i, 0, entry);
  }
}

function entryKey(direction: TranscriptEntry['direction'], id: string): string {
  return `${direction}\u0000${id}`;
}

function contactKey(channel: string, userId: string): string {
  // JSON keeps the pair unambiguous whatever characters either part holds.
  return JSON.stringify([channel, userId]);
}
