import type { AuditEntry, AuditFilter, AuditLog, NewAuditEntry } from '../ports/audit';

/** The audit log in an array; ids are zero-padded counters so they sort as strings. Copies in and out. */
export class MemoryAuditLog implements AuditLog {
  private readonly entries: AuditEntry[] = [];

  async append(entry: NewAuditEntry): Promise<AuditEntry> {
    const stored: AuditEntry = structuredClone({ ...entry, id: String(this.entries.length + 1).padStart(12, '0') });
    this.entries.push(stored);
    return structuredClone(stored);
  }

  async list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const { actor, target, action, limit = 100, beforeId } = filter;
    const out: AuditEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0 && out.length < Math.min(limit, 1000); i--) {
      const e = this.entries[i];
      if (beforeId !== undefined && !(e.id < beforeId)) continue;
      if ((actor !== undefined && e.actor !== actor) || (target !== undefined && e.target !== target) || (action !== undefined && e.action !== action)) continue;
      out.push(structuredClone(e));
    }
    return out;
  }
}
