import { randomInt } from 'node:crypto';

/**
 * What a citizen raised through the chat. Only one kind is taken in chat:
 * `petition // phản ánh, kiến nghị` (Luật Tiếp công dân 2013; TT 05/2021/TT-TTCP). A complaint (khiếu nại)
 * or a denunciation (tố cáo) needs a signed letter or a citizen reception session, never a chat case.
 */
export type CaseKind = 'petition';

/**
 * What a petition is (Luật Tiếp công dân 2013, Art. 2): `feedback // phản ánh` tells the commune of a
 * problem or a breach it should know of (a broken road, a violation); `proposal // kiến nghị` suggests
 * what the commune should do. Each has its own time limit key in office-hours.yaml (`timeLimits`).
 */
export const PETITION_TYPES = ['feedback', 'proposal'] as const;
export type PetitionType = (typeof PETITION_TYPES)[number];

export function isPetitionType(value: unknown): value is PetitionType {
  return typeof value === 'string' && (PETITION_TYPES as readonly string[]).includes(value);
}

/**
 * Cases filed before the type was a field of its own carry it as the first words of the content:
 * "[Phản ánh] …" or "[Kiến nghị] …". Matches that lead (NFC, as the content is stored).
 */
export const LEGACY_TYPE_LEAD = /^\[(Phản ánh|Kiến nghị)\] ?/;

/** The type an old case's content names in its lead; feedback (phản ánh) when it names none. */
export function legacyPetitionType(content: string): PetitionType {
  return LEGACY_TYPE_LEAD.exec(content)?.[1] === 'Kiến nghị' ? 'proposal' : 'feedback';
}

export const CASE_STATUSES = ['received', 'assigned', 'in_progress', 'resolved', 'rejected', 'transferred'] as const;

/**
 * `received`: filed, nobody responsible yet. `assigned`: an official is named and has not accepted.
 * `in_progress`: the official accepted it. `transferred`: the official handling it passed it to another
 * official (e.g. the Công an xã for residence matters), who has not accepted yet; the deadline keeps
 * running. `resolved`: answered. `rejected`: refused with a reason.
 */
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Statuses in which a case needs nothing more: not overdue, not reminded, not escalated. */
export const CLOSED_CASE_STATUSES: readonly CaseStatus[] = ['resolved', 'rejected'];

export const CASE_EVENT_KINDS = ['received', 'assigned', 'accepted', 'note', 'status', 'transferred', 'resolved', 'rejected', 'rated', 'reminded', 'escalated'] as const;
export type CaseEventKind = (typeof CASE_EVENT_KINDS)[number];

/** One line of a case's history. History is append-only: lines are never changed or removed. */
export interface CaseEvent {
  /** ms since the epoch */
  at: number;
  /** 'citizen', 'system' (routing, reminders, escalation) or the acting official's id */
  by: string;
  what: CaseEventKind;
  /** the official the event concerns: the one assigned or transferred to */
  officialId?: string;
  note?: string;
}

/** A photo the citizen sent (the platform's URL and/or asset id), or a shared location. */
export type CaseAttachment =
  | { type: 'image'; url?: string; platformId?: string }
  | { type: 'location'; lat: number; lng: number; label?: string };

/** Contact details the citizen chose to give, kept with the consent notice version they agreed to. */
export interface CaseContact {
  name?: string;
  /** E.164, +84… */
  phone?: string;
  consentVersion: string;
  /** ms since the epoch when the person tapped "Đồng ý" */
  consentAt: number;
}

export interface CaseResolution {
  answer: string;
  /** the official who answered */
  by: string;
  at: number;
}

export interface CaseRating {
  /** 1 (very poor) to 5 (very satisfied), the SIPAS-style scale */
  score: number;
  comment?: string;
  /** "số lần phải đi lại": 0, 1, or 2 for two or more */
  trips?: number;
  at: number;
}

export interface Case {
  id: string;
  /** short code the citizen can read out on the phone, e.g. "PA-7K3M9"; unique */
  code: string;
  kind: CaseKind;
  /** phản ánh (feedback) or kiến nghị (proposal); sets the time limit, never the routing */
  petitionType: PetitionType;
  /** a category id of civic/cases/categories.ts (the store keeps any string) */
  category: string;
  /** the thôn, NFC */
  village: string;
  content: string;
  attachments: CaseAttachment[];
  /** absent for an anonymous petition (no reply possible outside the chat) */
  contact?: CaseContact;
  /** where it came from: the citizen is answered there */
  channel: string;
  userId: string;
  status: CaseStatus;
  assigneeId?: string;
  backupId?: string;
  /** ms since the epoch */
  dueAt: number;
  createdAt: number;
  updatedAt: number;
  /** what the citizen was told when the case closed: the answer (resolved) or the reason (rejected) */
  resolution?: CaseResolution;
  rating?: CaseRating;
  history: CaseEvent[];
  /** 1 on create, +1 on every update: the optimistic-concurrency token */
  version: number;
}

/** What `create` needs: the store adds id, code, version (1) and updatedAt (= createdAt). */
export type NewCase = Omit<Case, 'id' | 'code' | 'version' | 'updatedAt' | 'resolution' | 'rating'>;

/** The fields an update may change. `null` removes an optional field (backup, contact). */
export interface CasePatch {
  status?: CaseStatus;
  assigneeId?: string;
  backupId?: string | null;
  category?: string;
  village?: string;
  dueAt?: number;
  resolution?: CaseResolution;
  rating?: CaseRating;
  /** null erases the contact details ("xóa dữ liệu của tôi") */
  contact?: null;
}

export interface CaseListFilter {
  /** any of these statuses */
  status?: CaseStatus[];
  assigneeId?: string;
  /** cases due before this time (ms) and not closed (not resolved or rejected) */
  overdueAt?: number;
  village?: string;
  category?: string;
  petitionType?: PetitionType;
  /** cases filed by this person on this channel */
  filer?: { channel: string; userId: string };
  /** page size; default 50, at most 500 */
  limit?: number;
  /** the `next` of the previous page */
  after?: string;
}

/** One page of cases, oldest first (by createdAt, then id). `next` is absent on the last page. */
export interface CasePage {
  cases: Case[];
  next?: string;
}

/**
 * Citizens' cases. Every method returns copies: changing a returned object changes nothing stored.
 */
export interface CaseStore {
  /**
   * Stores a new case under a fresh id and a fresh unique code (`PA-` + 5 characters of
   * CASE_CODE_ALPHABET). A code already taken is drawn again, so concurrent creates never share one.
   */
  create(c: NewCase): Promise<Case>;
  /** The case with this exact code (as `create` gave it; see `normalizeCaseCode` for typed input); null if none. */
  findByCode(code: string): Promise<Case | null>;
  get(id: string): Promise<Case | null>;
  /**
   * Applies `patch`, appends `event` to the history, sets updatedAt to `event.at` and adds 1 to the
   * version, in one atomic write. With `expectedVersion`, the write happens only if the stored
   * version is still that one; otherwise it rejects with `CaseVersionConflict` and changes nothing.
   * Resolves to the updated case, or null when there is no case with this id.
   */
  update(id: string, patch: CasePatch, event: CaseEvent, expectedVersion?: number): Promise<Case | null>;
  list(filter: CaseListFilter): Promise<CasePage>;
}

/**
 * `update` was given a version the case no longer has: someone else changed it since it was read.
 * Read it again and decide again. Matched by `name` (see `isCaseVersionConflict`) once it has
 * crossed a process or a queue.
 */
export class CaseVersionConflict extends Error {
  override readonly name = 'CaseVersionConflict';
  constructor(
    readonly caseId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`case ${caseId} is at version ${actualVersion}, not ${expectedVersion}`);
  }
}

export function isCaseVersionConflict(e: unknown): e is CaseVersionConflict {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'CaseVersionConflict';
}

/** Letters and digits that cannot be mistaken for one another when read out or typed: no 0/O, 1/I/L. */
export const CASE_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CASE_CODE_LENGTH = 5;
/** The code's prefix per kind: PA for phản ánh, kiến nghị. */
export const CASE_CODE_PREFIX: Record<CaseKind, string> = { petition: 'PA' };

/** A random code for a new case, e.g. "PA-7K3M9" (31^5 ≈ 28.6 million per kind). */
export function randomCaseCode(kind: CaseKind): string {
  let body = '';
  for (let i = 0; i < CASE_CODE_LENGTH; i++) body += CASE_CODE_ALPHABET[randomInt(CASE_CODE_ALPHABET.length)];
  return `${CASE_CODE_PREFIX[kind]}-${body}`;
}

const CODE_BODY = new RegExp(`^[${CASE_CODE_ALPHABET}]{${CASE_CODE_LENGTH}}$`);

/**
 * The stored form of a code as a citizen typed it ("pa 7k3m9", "PA7K3M9", "pa-7k3m9." ->
 * "PA-7K3M9"); null when it cannot be a case code.
 */
export function normalizeCaseCode(typed: string): string | null {
  const compact = typed.toUpperCase().replace(/[\s\-._]/g, '');
  for (const prefix of Object.values(CASE_CODE_PREFIX)) {
    if (!compact.startsWith(prefix)) continue;
    const body = compact.slice(prefix.length);
    if (CODE_BODY.test(body)) return `${prefix}-${body}`;
  }
  return null;
}

/** The position after one case in the list order (createdAt, then id), as an opaque string. */
export function encodeCaseCursor(c: Pick<Case, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id]), 'utf8').toString('base64url');
}

/** The position a cursor names; throws on a cursor this module did not make. */
export function decodeCaseCursor(cursor: string): { createdAt: number; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'number' && typeof parsed[1] === 'string') {
      return { createdAt: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new Error(`not a case list cursor: ${cursor}`);
}

/** The page size a filter asks for: default 50, between 1 and 500. */
export function caseListLimit(filter: Pick<CaseListFilter, 'limit'>): number {
  const { limit = 50 } = filter;
  return Math.min(500, Math.max(1, Math.floor(limit)));
}

/** The statuses a filter lets through, or null for any: `overdueAt` leaves out the closed ones. */
export function caseListStatuses(filter: Pick<CaseListFilter, 'status' | 'overdueAt'>): CaseStatus[] | null {
  const wanted = filter.status ?? null;
  if (filter.overdueAt === undefined) return wanted;
  return (wanted ?? [...CASE_STATUSES]).filter((s) => !CLOSED_CASE_STATUSES.includes(s));
}
