import { randomUUID } from 'node:crypto';
import {
  type Case,
  type CaseEvent,
  type CaseKind,
  type CaseListFilter,
  type CasePage,
  type CasePatch,
  type CaseStore,
  type NewCase,
  CaseVersionConflict,
  caseListLimit,
  caseListStatuses,
  decodeCaseCursor,
  encodeCaseCursor,
  randomCaseCode,
} from '../ports/cases';

export interface MemoryCaseStoreOptions {
  /** draws a code for a new case; default `randomCaseCode` (tests pass a script to force collisions) */
  newCode?: (kind: CaseKind) => string;
  /** codes drawn for one case before giving up; default 20 */
  maxCodeAttempts?: number;
}

/**
 * Cases in a Map, copied in and out. Each method decides and writes in one turn of the event loop
 * (no await in between), so concurrent creates and version-checked updates cannot interleave.
 */
export class MemoryCaseStore implements CaseStore {
  private readonly cases = new Map<string, Case>();
  private readonly idsByCode = new Map<string, string>();
  private readonly newCode: (kind: CaseKind) => string;
  private readonly maxCodeAttempts: number;

  constructor(opts: MemoryCaseStoreOptions = {}) {
    const { newCode = randomCaseCode, maxCodeAttempts = 20 } = opts;
    this.newCode = newCode;
    this.maxCodeAttempts = maxCodeAttempts;
  }

  async create(c: NewCase): Promise<Case> {
    const code = this.freeCode(c.kind);
    const stored: Case = { ...structuredClone(c), id: randomUUID(), code, updatedAt: c.createdAt, version: 1 };
    this.cases.set(stored.id, stored);
    this.idsByCode.set(code, stored.id);
    return structuredClone(stored);
  }

  async findByCode(code: string): Promise<Case | null> {
    const id = this.idsByCode.get(code);
    return id === undefined ? null : this.copyOf(id);
  }

  async get(id: string): Promise<Case | null> {
    return this.copyOf(id);
  }

  async update(id: string, patch: CasePatch, event: CaseEvent, expectedVersion?: number): Promise<Case | null> {
    const stored = this.cases.get(id);
    if (!stored) return null;
    if (expectedVersion !== undefined && stored.version !== expectedVersion) {
      throw new CaseVersionConflict(id, expectedVersion, stored.version);
    }
    // Build the next record aside, then swap it in: a failing clone leaves the stored one whole.
    const next: Case = { ...stored, ...structuredClone(withoutNulls(patch)) };
    if (patch.backupId === null) delete next.backupId;
    if (patch.contact === null) delete next.contact;
    next.history = [...stored.history, structuredClone(event)];
    next.updatedAt = event.at;
    next.version = stored.version + 1;
    this.cases.set(id, next);
    return structuredClone(next);
  }

  async list(filter: CaseListFilter): Promise<CasePage> {
    const limit = caseListLimit(filter);
    const statuses = caseListStatuses(filter);
    const after = filter.after === undefined ? null : decodeCaseCursor(filter.after);
    const matching = [...this.cases.values()]
      .filter((c) => {
        if (statuses && !statuses.includes(c.status)) return false;
        if (filter.assigneeId !== undefined && c.assigneeId !== filter.assigneeId) return false;
        if (filter.overdueAt !== undefined && !(c.dueAt < filter.overdueAt)) return false;
        if (filter.village !== undefined && c.village !== filter.village) return false;
        if (filter.category !== undefined && c.category !== filter.category) return false;
        if (filter.petitionType !== undefined && c.petitionType !== filter.petitionType) return false;
        if (filter.filer && (c.channel !== filter.filer.channel || c.userId !== filter.filer.userId)) return false;
        return after === null || compareListOrder(c, after) > 0;
      })
      .sort(compareListOrder);
    const page = matching.slice(0, limit);
    const result: CasePage = { cases: structuredClone(page) };
    if (matching.length > limit) result.next = encodeCaseCursor(page[page.length - 1]);
    return result;
  }

  private freeCode(kind: CaseKind): string {
    for (let attempt = 1; attempt <= this.maxCodeAttempts; attempt++) {
      const code = this.newCode(kind);
      if (!this.idsByCode.has(code)) return code;
    }
    throw new Error(`no free case code after ${this.maxCodeAttempts} attempts`);
  }

  private copyOf(id: string): Case | null {
    const found = this.cases.get(id);
    return found ? structuredClone(found) : null;
  }
}

/** The fields the patch sets; null (remove) and undefined (leave as is) are left out. */
function withoutNulls(patch: CasePatch): Partial<Case> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== null && v !== undefined)) as Partial<Case>;
}

// (createdAt, id), ids in code-unit order: the same order as the mongo adapter's sort.
function compareListOrder(a: Pick<Case, 'createdAt' | 'id'>, b: Pick<Case, 'createdAt' | 'id'>): number {
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
