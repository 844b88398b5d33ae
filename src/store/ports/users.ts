/**
 * Console accounts. `admin`: everything; `official`: their own cases (through `officialId`, the
 * roster id in the officials store) and reading flows; `viewer`: read-only dashboards.
 */
export const USER_ROLES = ['admin', 'official', 'viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface User {
  /** lower case, 3 to 40 of a-z 0-9 . _ -; the key */
  username: string;
  role: UserRole;
  /** a scrypt hash ($scrypt$…) or, for accounts made before, a bcrypt one ($2b$…); never the password */
  passwordHash: string;
  /** for the official role: the roster id whose cases this account works */
  officialId?: string;
  /** false: the account cannot log in and its sessions stop working */
  active: boolean;
  /** ms since the epoch */
  createdAt: number;
  updatedAt: number;
}

/** What `update` may change; `officialId: null` removes the link. */
export interface UserPatch {
  role?: UserRole;
  passwordHash?: string;
  officialId?: string | null;
  active?: boolean;
}

/** Console accounts by username. Every method returns copies. */
export interface UserStore {
  /** Stores a new account; resolves false, storing nothing, when the username is taken. */
  create(user: User): Promise<boolean>;
  get(username: string): Promise<User | null>;
  /** Every account, ordered by username. */
  list(): Promise<User[]>;
  /** Applies the patch and sets updatedAt = now; null when there is no such account. */
  update(username: string, patch: UserPatch, now: number): Promise<User | null>;
  /** How many accounts have this role (any role when omitted). */
  count(role?: UserRole): Promise<number>;
}
