import { foldText } from '../shared/text-fold';
import { containsNearly } from './fuzzy';
import type { Flow, Trigger } from './schema';

/** Where a trigger starts: a flow (newest version) at a step, or its first step. */
export interface TriggerHit {
  flowId: string;
  step?: string;
}

export interface TriggerIndex {
  payloads: ReadonlyMap<string, TriggerHit>;
  /** folded keyword -> hit, longest keywords first */
  keywords: readonly { words: string; hit: TriggerHit }[];
  /** folded whole messages -> hit */
  exact: ReadonlyMap<string, TriggerHit>;
  firstContact?: TriggerHit;
  unknown?: TriggerHit;
  /** where a link's ref goes when it is no trigger payload (event: referral); the flow reads it as `ref` */
  referral?: TriggerHit;
  /** where a message holding a tracking code goes */
  code?: TriggerHit;
  /** where a follow-up question about the conversation's topic goes */
  followUp?: TriggerHit;
  freeText?: TriggerHit & { minWords: number; hints: string[] };
}

function payloadsOf(t: Trigger): string[] {
  return t.payload === undefined ? [] : Array.isArray(t.payload) ? t.payload : [t.payload];
}

/** Flows are visited in id order, so when two claim the same trigger the result is still deterministic. */
export function buildTriggerIndex(flows: Flow[]): TriggerIndex {
  const payloads = new Map<string, TriggerHit>();
  const keywords: { words: string; hit: TriggerHit }[] = [];
  const exact = new Map<string, TriggerHit>();
  const index: TriggerIndex = { payloads, keywords, exact };
  for (const flow of flows) {
    for (const t of flow.triggers) {
      const hit: TriggerHit = { flowId: flow.id, step: t.step };
      for (const p of payloadsOf(t)) if (!payloads.has(p)) payloads.set(p, hit);
      for (const k of t.keywords ?? []) {
        const words = foldText(k);
        if (t.whole_message) {
          if (words && !exact.has(words)) exact.set(words, hit);
        } else if (words && !keywords.some((e) => e.words === words)) keywords.push({ words, hit });
      }
      if (t.event === 'first_contact') index.firstContact ??= hit;
      if (t.event === 'unknown') index.unknown ??= hit;
      if (t.event === 'referral') index.referral ??= hit;
      if (t.event === 'code') index.code ??= hit;
      if (t.event === 'follow_up') index.followUp ??= hit;
      if (t.event === 'free_text') index.freeText ??= { ...hit, minWords: t.min_words ?? 2, hints: (t.hints ?? []).map(foldText) };
    }
  }
  keywords.sort((a, b) => b.words.length - a.words.length);
  return index;
}

/** The flow a folded message names by keyword, the longest keyword winning. */
export function matchKeyword(index: TriggerIndex, folded: string): TriggerHit | undefined {
  if (!folded) return undefined;
  const whole = index.exact.get(folded);
  if (whole) return whole;
  const padded = ` ${folded} `;
  const exact = index.keywords.find((k) => padded.includes(` ${k.words} `))?.hit;
  if (exact) return exact;
  // a slip of the thumb in a keyword of two words or more ("phan anhh", "dat lichj"), longest first
  const words = folded.split(' ');
  return index.keywords.find((k) => k.words.includes(' ') && k.words.length >= 7 && containsNearly(words, k.words.split(' ')))?.hit;
}

/** Whether a folded message reads like a question in words (for procedure search), not a stray token. */
export function matchFreeText(index: TriggerIndex, folded: string): TriggerHit | undefined {
  const ft = index.freeText;
  if (!ft || !folded) return undefined;
  const words = folded.split(' ').filter((w) => /\p{L}/u.test(w));
  const padded = ` ${folded} `;
  if (words.length >= ft.minWords || ft.hints.some((h) => padded.includes(` ${h} `))) return ft;
  return undefined;
}
