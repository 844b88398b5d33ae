/**
 * Hand-offs to a person ("gặp cán bộ"): while one is open the bot is silent in that conversation and
 * what the citizen and the official write is relayed between them. At most one open hand-off per
 * conversation (channel + userId).
 */
import { randomInt } from 'node:crypto';
import { CASE_CODE_ALPHABET, CASE_CODE_LENGTH } from './cases';

/** `waiting`: nobody took it yet; `active`: an official took it; `ended`: the bot answers again. */
export const HANDOFF_STATUSES = ['waiting', 'active', 'ended'] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];

/**
 * Why it ended: `official` (KT or the console), `citizen` ("kết thúc", "menu"), `quiet` (nobody wrote
 * for the quiet time), `unanswered` (nobody took it in time: a case was opened instead), `page_inbox`
 * (a person of the Page answered the citizen directly in the Messenger Page Inbox: they have it now).
 */
export type HandoffEndReason = 'official' | 'citizen' | 'quiet' | 'unanswered' | 'page_inbox';

export interface HandoffMessage {
  /** stable across retries: the platform message id, or the command's own id; recorded once */
  id: string;
  at: number;
  from: 'citizen' | 'official';
  /** the official who wrote it, for `official` */
  officialId?: string;
  text: string;
}

export interface Handoff {
  id: string;
  /** short code officials type, e.g. "HT-7K3M9"; unique */
  code: string;
  channel: string;
  userId: string;
  /** what the citizen said they need; empty when they skipped the question */
  topic: string;
  category?: string;
  village?: string;
  /** the citizen's language tag ('vi', 'en'); Vietnamese when absent */
  locale?: string;
  /** the officials told about it when it opened */
  notifiedIds: string[];
  /** who took it */
  officialId?: string;
  status: HandoffStatus;
  createdAt: number;
  takenAt?: number;
  endedAt?: number;
  endReason?: HandoffEndReason;
  /** the last message either way (or the opening): the quiet time runs from it */
  lastActivityAt: number;
  /** the case opened when nobody took it */
  caseCode?: string;
  /** every message relayed, oldest first */
  messages: HandoffMessage[];
}

export type NewHandoff = Pick<Handoff, 'channel' | 'userId' | 'topic' | 'notifiedIds' | 'createdAt'> & Partial<Pick<Handoff, 'category' | 'village' | 'locale'>>;

export interface HandoffEnd {
  reason: HandoffEndReason;
  at: number;
  caseCode?: string;
  /** end it only while it still has this status (the take-within fallback: only while nobody took it) */
  onlyIf?: Exclude<HandoffStatus, 'ended'>;
}

export type TakeResult =
  | { ok: true; handoff: Handoff }
  /** `taken`: another official has it; `ended`: it is over; `unknown`: no such hand-off */
  | { ok: false; reason: 'taken' | 'ended' | 'unknown'; handoff?: Handoff };

export interface HandoffStore {
  /**
   * Opens a hand-off for the conversation, unless one is open already: then that one comes back
   * with `created: false` and nothing changes. Concurrent calls open one at most.
   */
  open(input: NewHandoff): Promise<{ created: boolean; handoff: Handoff }>;
  get(id: string): Promise<Handoff | null>;
  /** by its exact code (see `normalizeHandoffCode` for typed input) */
  findByCode(code: string): Promise<Handoff | null>;
  /** the open (waiting or active) hand-off of this conversation; null if none */
  findOpen(channel: string, userId: string): Promise<Handoff | null>;
  /** Every open hand-off, oldest first. */
  listOpen(): Promise<Handoff[]>;
  /**
   * The official takes a waiting hand-off (atomically: of two officials, one wins). Taking again
   * one's own active hand-off succeeds and changes nothing.
   */
  take(id: string, officialId: string, now: number): Promise<TakeResult>;
  /**
   * Records a message of an open hand-off and moves `lastActivityAt`; a message id already
   * recorded changes nothing. Null when the hand-off is unknown or ended.
   */
  addMessage(id: string, message: HandoffMessage): Promise<Handoff | null>;
  /**
   * Ends an open hand-off (only while it is in `onlyIf`, when given); null when it is unknown,
   * already ended (the first end wins) or not in `onlyIf`.
   */
  end(id: string, end: HandoffEnd): Promise<Handoff | null>;
}

export const HANDOFF_CODE_PREFIX = 'HT';

/** A random code for a new hand-off, e.g. "HT-7K3M9" (the case codes' alphabet). */
export function randomHandoffCode(): string {
  let body = '';
  for (let i = 0; i < CASE_CODE_LENGTH; i++) body += CASE_CODE_ALPHABET[randomInt(CASE_CODE_ALPHABET.length)];
  return `${HANDOFF_CODE_PREFIX}-${body}`;
}

const CODE_BODY = new RegExp(`^[${CASE_CODE_ALPHABET}]{${CASE_CODE_LENGTH}}$`);

/** "ht 7k3m9", "HT7K3M9", "ht-7k3m9." -> "HT-7K3M9"; null when it cannot be a hand-off code. */
export function normalizeHandoffCode(typed: string): string | null {
  const compact = typed.toUpperCase().replace(/[\s\-._]/g, '');
  if (!compact.startsWith(HANDOFF_CODE_PREFIX)) return null;
  const body = compact.slice(HANDOFF_CODE_PREFIX.length);
  return CODE_BODY.test(body) ? `${HANDOFF_CODE_PREFIX}-${body}` : null;
}

/** Messages kept per hand-off; older ones are dropped (the transcript of the conversation keeps all). */
export const HANDOFF_MESSAGES_KEPT = 200;
