import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { InboundContent, InboundEvent, OutboundMessage } from '../../src/channels/types';
import { step, type Effect, type FlowRegistry, type Translator } from '../../src/conversation';
import type { Json, JsonObject } from '../../src/shared/json';

/**
 * Conversation transcripts (flows/tests/*.yaml): the citizen says or taps something, the bot's reply
 * must contain some words, offer some choices, ask for some actions; action results can be scripted.
 */
/** YAML reads 113 or 0912 as numbers: words to look for are strings whatever they look like. */
const Str = z.union([z.string(), z.number()]).transform(String);

const Expect = z.strictObject({
  says: z.union([Str, z.array(Str)]).optional(),
  not_says: z.union([Str, z.array(Str)]).optional(),
  /** payloads offered by the last reply that has choices or buttons, in order */
  choices: z.array(z.string()).optional(),
  effects: z.array(z.strictObject({ action: z.string(), args: z.record(z.string(), z.json()).optional() })).optional(),
  no_reply: z.boolean().optional(),
  rejected: z.boolean().optional(),
  locale: z.enum(['vi', 'en']).optional(),
  /** true: no flow is in progress afterwards */
  ended: z.boolean().optional(),
});

const Turn = z.strictObject({
  user: Str.optional(),
  tap: z.string().optional(),
  postback: z.string().optional(),
  follow: z.literal(true).optional(),
  unfollow: z.literal(true).optional(),
  image: z.string().optional(),
  sticker: z.literal(true).optional(),
  location: z.tuple([z.number(), z.number()]).optional(),
  result: z.strictObject({ action: z.string(), ok: z.boolean(), code: z.string().optional(), data: z.record(z.string(), z.json()).optional() }).optional(),
  /** time passing before this turn */
  wait_minutes: z.number().optional(),
  expect: Expect.optional(),
});

const Case = z.strictObject({
  name: z.string(),
  now: z.string().optional(),
  channel: z.enum(['messenger', 'zalo', 'console']).optional(),
  turns: z.array(Turn).min(1),
});

export const TranscriptFile = z.strictObject({ cases: z.array(Case).min(1) });
export type TranscriptCase = z.infer<typeof Case>;
type TurnSpec = z.infer<typeof Turn>;

export function readTranscriptFile(path: string): z.infer<typeof TranscriptFile> {
  const r = TranscriptFile.safeParse(parse(readFileSync(path, 'utf8')));
  if (!r.success) throw new Error(`${path}: ${z.prettifyError(r.error)}`);
  return r.data;
}

/** Monday 2 March 2026, 09:00 in Vietnam */
const DEFAULT_NOW = '2026-03-02T09:00:00+07:00';

/**
 * What the platform delivers for a turn. A tap on Zalo is a message whose text is the button's payload
 * (an `oa.query` button); on Messenger a quick reply brings its title and payload.
 */
export function contentOf(turn: TurnSpec, lastReplies: OutboundMessage[], channel: 'messenger' | 'zalo' | 'console' = 'messenger'): InboundContent {
  if (turn.user !== undefined) return { type: 'text', text: turn.user };
  if (turn.tap !== undefined && channel === 'zalo') return { type: 'text', text: turn.tap };
  if (turn.tap !== undefined) {
    const offered = lastReplies.flatMap((m) => (m.type === 'text' ? (m.choices ?? []) : m.type === 'buttons' ? m.buttons.flatMap((b) => (b.type === 'postback' ? [b] : [])) : []));
    const title = offered.find((c) => c.payload === turn.tap)?.title ?? turn.tap;
    return { type: 'text', text: title, payload: turn.tap };
  }
  if (turn.postback !== undefined) return { type: 'postback', payload: turn.postback };
  if (turn.follow) return { type: 'follow' };
  if (turn.unfollow) return { type: 'unfollow' };
  if (turn.image !== undefined) return { type: 'attachments', attachments: [{ kind: 'image', url: turn.image }] };
  if (turn.sticker) return { type: 'attachments', attachments: [{ kind: 'sticker', ref: '369239263222822' }] };
  if (turn.location) return { type: 'location', lat: turn.location[0], lng: turn.location[1] };
  if (turn.result) return { type: 'action_result', ...turn.result, data: turn.result.data as Record<string, unknown> | undefined };
  throw new Error('a turn needs user, tap, postback, follow, unfollow, image, sticker, location or result');
}

function list(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function replyText(replies: OutboundMessage[]): string {
  return replies.map((m) => (m.type === 'text' || m.type === 'buttons' ? m.text : m.type === 'image' ? (m.caption ?? '') : '')).join('\n');
}

function offeredPayloads(replies: OutboundMessage[]): string[] | undefined {
  for (let i = replies.length - 1; i >= 0; i--) {
    const m = replies[i];
    if (m.type === 'text' && m.choices) return m.choices.map((c) => c.payload);
    if (m.type === 'buttons') return m.buttons.flatMap((b) => (b.type === 'postback' ? [b.payload] : []));
  }
  return undefined;
}

function isSubset(expected: Json, actual: Json | undefined): boolean {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual) || actual === undefined) return false;
    return Object.entries(expected).every(([k, v]) => isSubset(v, actual[k]));
  }
  return JSON.stringify(expected) === JSON.stringify(actual);
}

/** Plays one case; returns the problems found (empty when it passes) and the flows it went through. */
export function playCase(registry: FlowRegistry, t: Translator, c: TranscriptCase): { problems: string[]; flowsSeen: Set<string> } {
  let now = Date.parse(c.now ?? DEFAULT_NOW);
  let state: JsonObject | null = null;
  let last: OutboundMessage[] = [];
  const problems: string[] = [];
  const flowsSeen = new Set<string>();
  c.turns.forEach((turn, i) => {
    now += (turn.wait_minutes ?? 0) * 60_000 + 1000;
    const event: InboundEvent = { id: `t${i}`, channel: c.channel ?? 'messenger', userId: 'citizen', timestamp: now, content: contentOf(turn, last, c.channel) };
    const r = step(registry, state, event, { now, t });
    const at = `turn ${i + 1} (${JSON.stringify(event.content)})`;
    const e = turn.expect ?? {};
    if (r.kind === 'rejected') {
      if (!e.rejected) problems.push(`${at}: rejected: ${r.reason}`);
      return;
    }
    if (e.rejected) problems.push(`${at}: expected a rejection`);
    state = r.state;
    const frames = (state.frames ?? []) as { flow: string }[];
    frames.forEach((f) => flowsSeen.add(f.flow));
    if (r.replies.length > 0) last = r.replies;
    const text = replyText(r.replies).normalize('NFC');
    for (const s of list(e.says)) if (!text.includes(s.normalize('NFC'))) problems.push(`${at}: reply does not say "${s}"; it says:\n${text}`);
    for (const s of list(e.not_says)) if (text.includes(s.normalize('NFC'))) problems.push(`${at}: reply says "${s}" but should not`);
    if (e.choices) {
      const got = offeredPayloads(r.replies);
      if (JSON.stringify(got) !== JSON.stringify(e.choices)) problems.push(`${at}: offers ${JSON.stringify(got)}, expected ${JSON.stringify(e.choices)}`);
    }
    if (e.effects) checkEffects(at, r.effects, e.effects as { action: string; args?: JsonObject }[], problems);
    if (e.no_reply && r.replies.length > 0) problems.push(`${at}: expected no reply, got:\n${text}`);
    if (!e.no_reply && !e.rejected && r.replies.length === 0 && event.content.type !== 'action_result' && event.content.type !== 'unfollow' && r.effects.length === 0) {
      problems.push(`${at}: the citizen got no answer`);
    }
    if (e.locale && state.locale !== e.locale) problems.push(`${at}: locale is ${String(state.locale)}, expected ${e.locale}`);
    if (e.ended !== undefined && (frames.length === 0) !== e.ended) problems.push(`${at}: expected the conversation ${e.ended ? 'to have ended' : 'to be in a flow'}`);
  });
  return { problems, flowsSeen };
}

function checkEffects(at: string, got: Effect[], expected: { action: string; args?: JsonObject }[], problems: string[]): void {
  if (got.length !== expected.length || expected.some((x, i) => x.action !== got[i].action || (x.args && !isSubset(x.args, got[i].args)))) {
    problems.push(`${at}: effects ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
  }
}
