import { randomUUID } from 'node:crypto';
import { HANDOFF_MESSAGES_KEPT, randomHandoffCode, type Handoff, type HandoffEnd, type HandoffMessage, type HandoffStore, type NewHandoff, type TakeResult } from '../ports/handoffs';

/** Hand-offs in a Map; copies in and out. Every method runs without an await in between: atomic in one process. */
export class MemoryHandoffStore implements HandoffStore {
  private readonly byId = new Map<string, Handoff>();

  async open(input: NewHandoff): Promise<{ created: boolean; handoff: Handoff }> {
    const existing = this.openOf(input.channel, input.userId);
    if (existing) return { created: false, handoff: structuredClone(existing) };
    let code = randomHandoffCode();
    while ([...this.byId.values()].some((h) => h.code === code)) code = randomHandoffCode();
    const handoff: Handoff = { ...structuredClone(input), id: randomUUID(), code, status: 'waiting', lastActivityAt: input.createdAt, messages: [] };
    this.byId.set(handoff.id, handoff);
    return { created: true, handoff: structuredClone(handoff) };
  }

  async get(id: string): Promise<Handoff | null> {
    const h = this.byId.get(id);
    return h ? structuredClone(h) : null;
  }

  async findByCode(code: string): Promise<Handoff | null> {
    const h = [...this.byId.values()].find((x) => x.code === code);
    return h ? structuredClone(h) : null;
  }

  async findOpen(channel: string, userId: string): Promise<Handoff | null> {
    const h = this.openOf(channel, userId);
    return h ? structuredClone(h) : null;
  }

  async listOpen(): Promise<Handoff[]> {
    return [...this.byId.values()]
      .filter((h) => h.status !== 'ended')
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      .map((h) => structuredClone(h));
  }

  async take(id: string, officialId: string, now: number): Promise<TakeResult> {
    const h = this.byId.get(id);
    if (!h) return { ok: false, reason: 'unknown' };
    if (h.status === 'ended') return { ok: false, reason: 'ended', handoff: structuredClone(h) };
    if (h.status === 'active') {
      return h.officialId === officialId ? { ok: true, handoff: structuredClone(h) } : { ok: false, reason: 'taken', handoff: structuredClone(h) };
    }
    h.status = 'active';
    h.officialId = officialId;
    h.takenAt = now;
    h.lastActivityAt = Math.max(h.lastActivityAt, now);
    return { ok: true, handoff: structuredClone(h) };
  }

  async addMessage(id: string, message: HandoffMessage): Promise<Handoff | null> {
    const h = this.byId.get(id);
    if (!h || h.status === 'ended') return null;
    if (!h.messages.some((m) => m.id === message.id)) {
      h.messages.push(structuredClone(message));
      if (h.messages.length > HANDOFF_MESSAGES_KEPT) h.messages.splice(0, h.messages.length - HANDOFF_MESSAGES_KEPT);
      h.lastActivityAt = Math.max(h.lastActivityAt, message.at);
    }
    return structuredClone(h);
  }

  async end(id: string, end: HandoffEnd): Promise<Handoff | null> {
    const h = this.byId.get(id);
    if (!h || h.status === 'ended' || (end.onlyIf !== undefined && h.status !== end.onlyIf)) return null;
    h.status = 'ended';
    h.endReason = end.reason;
    h.endedAt = end.at;
    if (end.caseCode !== undefined) h.caseCode = end.caseCode;
    return structuredClone(h);
  }

  private openOf(channel: string, userId: string): Handoff | undefined {
    return [...this.byId.values()].find((h) => h.channel === channel && h.userId === userId && h.status !== 'ended');
  }
}
