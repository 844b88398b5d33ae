import type { User, UserPatch, UserRole, UserStore } from '../ports/users';

/** Console accounts in a Map; copies in and out. */
export class MemoryUserStore implements UserStore {
  private readonly users = new Map<string, User>();

  async create(user: User): Promise<boolean> {
    if (this.users.has(user.username)) return false;
    this.users.set(user.username, structuredClone(user));
    return true;
  }

  async get(username: string): Promise<User | null> {
    const found = this.users.get(username);
    return found ? structuredClone(found) : null;
  }

  async list(): Promise<User[]> {
    return [...this.users.values()].sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0)).map((u) => structuredClone(u));
  }

  async update(username: string, patch: UserPatch, now: number): Promise<User | null> {
    const found = this.users.get(username);
    if (!found) return null;
    const { officialId, ...rest } = patch;
    const next: User = { ...found, ...definedOnly(rest), updatedAt: now };
    if (officialId === null) delete next.officialId;
    else if (officialId !== undefined) next.officialId = officialId;
    this.users.set(username, next);
    return structuredClone(next);
  }

  async count(role?: UserRole): Promise<number> {
    return [...this.users.values()].filter((u) => role === undefined || u.role === role).length;
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
