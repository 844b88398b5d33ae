import { AppError } from '../../shared/app-error';
import type { ChatAccount, ChatChannel, Official, OfficialInput, OfficialStore, RedeemLinkCodeResult } from '../ports';

interface StoredLinkCode {
  officialId: string;
  expiresAt: number;
}

/**
 * Officials and link codes in Maps; copies in and out. No method awaits between reading and
 * writing, so each one is atomic against the others in this process (one code, one winner).
 */
export class MemoryOfficialStore implements OfficialStore {
  private readonly officials = new Map<string, Official>();
  private readonly codes = new Map<string, StoredLinkCode>();

  async upsert(input: OfficialInput): Promise<Official> {
    const before = this.officials.get(input.id);
    const accounts = input.accounts ? uniqueAccounts(input.accounts) : (before?.accounts ?? []);
    const stored: Official = structuredClone({ ...withoutAccounts(input), accounts });
    if (input.accounts) for (const account of accounts) this.detach(account, input.id);
    this.officials.set(stored.id, stored);
    return structuredClone(stored);
  }

  async get(id: string): Promise<Official | null> {
    const found = this.officials.get(id);
    return found ? structuredClone(found) : null;
  }

  async list(): Promise<Official[]> {
    return [...this.officials.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((o) => structuredClone(o));
  }

  async findByAccount(channel: ChatChannel, userId: string): Promise<Official | null> {
    for (const official of this.officials.values()) {
      if (official.accounts.some((a) => a.channel === channel && a.userId === userId)) return structuredClone(official);
    }
    return null;
  }

  async issueLinkCode(officialId: string, code: string, expiresAt: number): Promise<boolean> {
    if (!this.officials.has(officialId)) throw new AppError('NOT_FOUND', `no official with id ${officialId}`);
    if (this.codes.has(code)) return false;
    for (const [other, stored] of this.codes) if (stored.officialId === officialId) this.codes.delete(other);
    this.codes.set(code, { officialId, expiresAt });
    return true;
  }

  async redeemLinkCode(code: string, account: ChatAccount, now: number): Promise<RedeemLinkCodeResult> {
    const stored = this.codes.get(code);
    if (!stored) return { ok: false, reason: 'unknown' };
    if (now >= stored.expiresAt) return { ok: false, reason: 'expired' };
    const official = this.officials.get(stored.officialId);
    if (!official) return { ok: false, reason: 'unknown' };
    this.codes.delete(code);
    const linked: ChatAccount = { channel: account.channel, userId: account.userId };
    this.detach(linked, official.id);
    if (!official.accounts.some((a) => sameAccount(a, linked))) official.accounts.push(linked);
    return { ok: true, official: structuredClone(official) };
  }

  /** Takes the account away from every official but `keeperId`. */
  private detach(account: ChatAccount, keeperId: string): void {
    for (const official of this.officials.values()) {
      if (official.id !== keeperId) official.accounts = official.accounts.filter((a) => !sameAccount(a, account));
    }
  }
}

function sameAccount(a: ChatAccount, b: ChatAccount): boolean {
  return a.channel === b.channel && a.userId === b.userId;
}

function uniqueAccounts(accounts: ChatAccount[]): ChatAccount[] {
  const kept: ChatAccount[] = [];
  for (const a of accounts) if (!kept.some((k) => sameAccount(k, a))) kept.push({ channel: a.channel, userId: a.userId });
  return kept;
}

// Field by field: a caller's extra properties never get stored.
function withoutAccounts(input: OfficialInput): Omit<Official, 'accounts'> {
  const official: Omit<Official, 'accounts'> = {
    id: input.id,
    name: input.name,
    role: input.role,
    villages: [...input.villages],
    categories: [...input.categories],
    onDuty: input.onDuty,
    active: input.active,
  };
  if (input.supervisorId !== undefined) official.supervisorId = input.supervisorId;
  return official;
}
