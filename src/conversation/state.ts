import type { Json, JsonObject } from '../shared/json';
import type { OfferedChoice } from './inputs';
import type { Target } from './schema';
import type { TriggerHit } from './triggers';
import { DEFAULT_LOCALE, isLocale, type Locale } from './translator';

/** One flow in progress: the version it started on is kept until it ends (invariant 7). */
export interface Frame {
  flow: string;
  version: number;
  rev: string;
  /** the step being run or waited on */
  step: string;
  /** set while a called flow runs: the step to continue at when it ends (null: end this flow too) */
  resume?: string | null;
  /** questions of this flow whose `prefill` was tried already */
  prefilled?: string[];
}

/** A question waiting for its answer: the choices shown, and when the list is paged, all of them and the page. */
export interface AskWait {
  kind: 'ask';
  tries: number;
  choices: OfferedChoice[];
  all?: OfferedChoice[];
  page?: number;
}

export type Wait =
  | AskWait
  | { kind: 'call'; action: string; since: number }
  /** a new request came in while a flow held answers: continue it, or leave it for `hit` */
  | { kind: 'switch'; hit: TriggerHit; text: string; held: AskWait };

/** The engine's whole memory of one conversation. Plain JSON: the store keeps it as-is. */
export interface ConversationState {
  v: 1;
  locale: Locale;
  frames: Frame[];
  wait: Wait | null;
  vars: JsonObject;
  /** answers given in the flows in progress: a flow holding some is never left without a word */
  answered?: number;
  /** what the conversation is about (the procedure just explained), for follow-up questions, and since when */
  topic?: { vars: JsonObject; at: number };
  /** an offer just made ("gửi phản ánh về việc này?"): its payload, and the values the flow starts with if taken */
  offer?: { payload: string; vars: JsonObject };
}

export function freshState(): ConversationState {
  return { v: 1, locale: DEFAULT_LOCALE, frames: [], wait: null, vars: {} };
}

/** Reads stored state; anything unreadable starts over rather than failing the person's message. */
export function decodeState(raw: JsonObject): ConversationState {
  if (raw.v !== 1 || !Array.isArray(raw.frames)) return { ...freshState(), locale: isLocale(raw.locale) ? raw.locale : DEFAULT_LOCALE };
  return structuredClone(raw) as unknown as ConversationState;
}

export function encodeState(s: ConversationState): JsonObject {
  return s as unknown as JsonObject;
}

/** Choice targets are JSON too; this keeps the type checker honest when they go into state. */
export function targetJson(t: Target | undefined): Json | undefined {
  return t as Json | undefined;
}
