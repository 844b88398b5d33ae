/**
 * The audit log: who changed what in the console or the admin API, when, with the record before
 * and after. Append-only by design: the port has no update or delete, so no route can offer one.
 */
export interface AuditEntry {
  /** assigned by the store; increasing in append order within one store */
  id: string;
  /** ms since the epoch */
  at: number;
  /** the username, or 'admin-token' for the bearer token */
  actor: string;
  /** what was done, e.g. 'flow.publish', 'case.assign', 'user.create' */
  action: string;
  /** what it was done to, e.g. 'flow:main-menu', 'case:PA-2503-0001', 'user:lan' */
  target: string;
  /** the record before the change (JSON); null when it did not exist */
  before: unknown;
  /** the record after the change (JSON); null when it no longer exists */
  after: unknown;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

export interface AuditFilter {
  actor?: string;
  target?: string;
  action?: string;
  /** default 100, at most 1000 */
  limit?: number;
  /** entries older than this id (the last id of the previous page) */
  beforeId?: string;
}

export interface AuditLog {
  /** Appends one entry and resolves to it with its id. */
  append(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Entries matching every given field, newest first. */
  list(filter?: AuditFilter): Promise<AuditEntry[]>;
}
