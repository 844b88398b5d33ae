import type { Queue } from 'bullmq';
import type { InboundEvent, OutboundMessage } from '../channels/types';
import { conversationKey } from '../shared/ids';
import type { Json, JsonObject } from '../shared/json';
import type { Logger } from '../shared/logger';
import type { ConversationStore, TranscriptEntry } from '../store/ports';
import { EFFECT_JOB, OUTBOUND_JOB, safeId } from './queues';

/** What the inbound worker needs of the conversation engine: one pure step. */
export type TurnResult =
  | { kind: 'advanced'; state: JsonObject; replies: OutboundMessage[]; effects: { action: string; args: JsonObject }[] }
  | { kind: 'rejected'; reason: string };

export type TurnEngine = (state: JsonObject | null, event: InboundEvent, now: number) => TurnResult;

/** The stored state of a conversation: the engine's own state plus the job layer's turn counter. */
interface StoredState {
  engine: JsonObject | null;
  /** number of turns that produced replies so far: the sequence of outbound jobs */
  outSeq: number;
  /**
   * A person of the Page answered from the Page Inbox: until this time (ms) the bot does not answer
   * the citizen. Kept with the state, so it is saved in the same write as the staff reply's
   * transcript line and a retried event computes the same pause.
   */
  pausedUntil?: number;
}

/** The bot's silence after a Page Inbox reply when no setting says otherwise (HANDOFF_QUIET_MINUTES' default). */
export const DEFAULT_PAGE_REPLY_QUIET_MS = 30 * 60_000;

export interface OutboundJobData {
  conversationKey: string;
  channel: string;
  userId: string;
  seq: number;
  messages: OutboundMessage[];
  /** transcript entry id of each message */
  entryIds: string[];
  /** how many messages were already delivered (a retry resumes after them) */
  sent?: number;
  /** when the person's message these replies answer arrived: the messaging window runs from it at least */
  answersMessageAt: number;
}

export interface EffectJobData {
  conversationKey: string;
  channel: string;
  userId: string;
  eventId: string;
  index: number;
  action: string;
  args: JsonObject;
  locale: string;
  /** when the person's message that led to this effect arrived */
  requestedAt: number;
}

/**
 * Actions that only read (the catalogue, the desk's calendar) and may run inside the turn that asked
 * for them: their result is stepped at once, so a first question's greeting, explanation and
 * booking offer leave as one turn, without a round through the effects queue and the inbox.
 */
export interface InlineActions {
  names: ReadonlySet<string>;
  /** the effects worker's ActionRunner (effects-worker.ts; spelled out here, as that file imports this one) */
  run: (
    effect: { action: string; args: Record<string, unknown> },
    ctx: { channel: string; userId: string; conversationKey: string; now: number; locale: string },
  ) => Promise<{ ok: boolean; code?: string; data?: Record<string, unknown> }>;
}

/** Rounds of read-only results stepped within one turn (a result may ask for another read). */
const MAX_INLINE_ROUNDS = 4;

interface PendingEffect {
  action: string;
  args: JsonObject;
  /** the event whose step asked for it: the effect's id derives from it */
  causeId: string;
  index: number;
}

export function outboundJobId(key: string, seq: number): string {
  return `out-${safeId(key)}-${seq}`;
}

function readState(raw: JsonObject | undefined): StoredState {
  if (!raw) return { engine: null, outSeq: 0 };
  const engine = raw.engine;
  const state: StoredState = {
    engine: engine && typeof engine === 'object' && !Array.isArray(engine) ? (engine as JsonObject) : null,
    outSeq: typeof raw.outSeq === 'number' ? raw.outSeq : 0,
  };
  if (typeof raw.pausedUntil === 'number') state.pausedUntil = raw.pausedUntil;
  return state;
}

/** A short, log-free description of what the person sent, for the transcript. */
export function describeInbound(event: InboundEvent): string {
  const c = event.content;
  switch (c.type) {
    case 'text':
      return c.text;
    case 'postback':
      return c.title ? `${c.title} [${c.payload}]` : `[${c.payload}]`;
    case 'attachments':
      return [c.text, ...c.attachments.map((a) => `[${a.kind}]`)].filter(Boolean).join(' ');
    case 'location':
      return `[location ${c.lat},${c.lng}]${c.title ? ` ${c.title}` : ''}`;
    case 'contact':
      return '[contact details]';
    case 'follow':
      return '[follow]';
    case 'unfollow':
      return '[unfollow]';
    case 'action_result':
      return `[${c.action}: ${c.ok ? 'ok' : (c.code ?? 'failed')}]`;
    case 'referral':
      return `[link ${c.ref.length > 100 ? `${c.ref.slice(0, 100)}…` : c.ref}]`;
    case 'page_reply':
      return `[Page Inbox] ${c.text}`;
  }
}

function describeOutbound(m: OutboundMessage): string {
  switch (m.type) {
    case 'text':
      return m.choices?.length ? `${m.text} {${m.choices.map((c) => c.title).join(' | ')}}` : m.text;
    case 'buttons':
      return `${m.text} {${m.buttons.map((b) => b.title).join(' | ')}}`;
    case 'image':
      return `[image] ${m.caption ?? ''}`.trim();
    case 'typing':
      return '[typing]';
  }
}

/**
 * Handles one inbound event of one conversation: engine step, then replies and effects enqueued,
 * then the conversation saved (state + transcript). Saving last means a crash anywhere before it
 * leaves the stored state as it was, and the retry computes the same turn: the same outbound job
 * id (deduplicated by BullMQ) and the same effect job ids.
 */
export async function handleInboundEvent(
  item: { event: InboundEvent; receivedAt: number },
  deps: {
    engine: TurnEngine;
    conversations: ConversationStore;
    outbound: Queue;
    effects: Queue;
    log: Logger;
    /** notices that waited for this person's next message (a closed window): sent first in this turn */
    takePending?: (channel: string, userId: string) => Promise<string[]>;
    /**
     * Messages handled before the flows (an official's commands, account linking, a citizen's
     * message while their hand-off to an official is open): replies to send instead of the
     * engine's (none at all is fine), or null to let the engine handle the message. Called for
     * what a person sent (not for action results, follows or unfollows), with its arrival time.
     */
    intercept?: (event: InboundEvent, receivedAt: number) => Promise<{ replies: OutboundMessage[] } | null>;
    /** how long the bot stays silent after a Page Inbox reply (HANDOFF_QUIET_MINUTES); default 30 min */
    pageReplyQuietMs?: number;
    /** a person of the Page answered this citizen from the Page Inbox (an open hand-off is handed to them); idempotent */
    onPageReply?: (event: InboundEvent, receivedAt: number) => Promise<void>;
    /** read-only actions run within the turn; unset: every effect goes through the effects queue */
    inlineActions?: InlineActions;
  },
): Promise<void> {
  const { event, receivedAt } = item;
  const key = conversationKey(event.channel, event.userId);
  const { conversations, log } = deps;

  if (event.content.type === 'page_reply') return handlePageReply(event, receivedAt, deps);
  if (await conversations.hasInbound(key, event.id)) return; // already handled before a crash

  if (event.content.type !== 'action_result') await conversations.touchInbound(event.channel, event.userId, receivedAt);

  const stored = await conversations.get(key);
  const state = readState(stored?.state);
  const inboundEntry: TranscriptEntry = { direction: 'in', at: event.timestamp, id: event.id, text: describeInbound(event) };
  const personSent = event.content.type !== 'action_result' && event.content.type !== 'follow' && event.content.type !== 'unfollow';
  // A person of the Page is talking with the citizen (Page Inbox): the message is kept and the flows
  // stay silent, as if intercepted with nothing to say (notices that waited still go out; results of
  // actions asked for before still complete their flow).
  const paused = personSent && state.pausedUntil !== undefined && receivedAt < state.pausedUntil;
  const intercepted = personSent ? ((await deps.intercept?.(event, receivedAt)) ?? (paused ? { replies: [] } : null)) : null;
  const result: TurnResult = intercepted
    ? { kind: 'advanced', state: state.engine ?? {}, replies: intercepted.replies, effects: [] }
    : deps.engine(state.engine, event, receivedAt);
  // The person's message this turn answers: the event itself, or the one whose action this is the result of.
  const answersMessageAt = event.content.type === 'action_result' ? (event.content.requestedAt ?? receivedAt) : receivedAt;

  if (result.kind === 'rejected') {
    log.warn({ conversation: safeId(key), reason: result.reason }, 'engine rejected an event');
    await conversations.save({ key, channel: event.channel, userId: event.userId, state: stored?.state ?? toJson(state) }, [inboundEntry], receivedAt);
    return;
  }

  const entries: TranscriptEntry[] = [inboundEntry];
  let outSeq = state.outSeq;
  let engineState = result.state;
  const stepReplies = [...result.replies];
  let effects: PendingEffect[] = result.effects.map((e, index) => ({ ...e, causeId: event.id, index }));
  if (!intercepted && deps.inlineActions) {
    const inline = await stepInlineResults({ key, event, receivedAt, answersMessageAt, state: engineState, effects }, deps.inlineActions, deps);
    engineState = inline.state;
    effects = inline.effects;
    stepReplies.push(...inline.replies);
    entries.push(...inline.entries);
  }
  // The person just wrote, so the free window is open: what waited for them goes out now, first.
  const waiting = event.content.type !== 'action_result' && deps.takePending ? await deps.takePending(event.channel, event.userId) : [];
  const replies = [...waiting.map((text): OutboundMessage => ({ type: 'text', text })), ...stepReplies.filter((m) => m.type !== 'typing')];
  if (replies.length > 0) {
    outSeq += 1;
    const entryIds = replies.map((_, i) => `${key}#${outSeq}.${i}`);
    replies.forEach((m, i) => entries.push({ direction: 'out', at: receivedAt, id: entryIds[i], text: describeOutbound(m), status: 'pending' }));
    const data: OutboundJobData = { conversationKey: key, channel: event.channel, userId: event.userId, seq: outSeq, messages: replies, entryIds, answersMessageAt };
    await deps.outbound.add('turn', data, { ...OUTBOUND_JOB, jobId: outboundJobId(key, outSeq) });
  }

  if (effects.length > 0) {
    const locale = localeOf(engineState);
    await deps.effects.addBulk(
      effects.map((effect) => {
        const data: EffectJobData = { conversationKey: key, channel: event.channel, userId: event.userId, eventId: effect.causeId, index: effect.index, action: effect.action, args: effect.args, locale, requestedAt: answersMessageAt };
        return { name: effect.action, data, opts: { ...EFFECT_JOB, jobId: `fx-${safeId(key, effect.causeId)}-${effect.index}` } };
      }),
    );
  }

  await conversations.save({ key, channel: event.channel, userId: event.userId, state: toJson({ ...state, engine: intercepted ? state.engine : engineState, outSeq }) }, entries, receivedAt);
}

function localeOf(state: JsonObject): string {
  return typeof state.locale === 'string' ? state.locale : 'vi';
}

/**
 * While every effect a step asked for is a read-only action, runs them in order and steps each
 * result at once, as the effects worker and the inbox would have later: the same result event
 * (id `fx:<cause>:<index>`, its transcript line), the same state. Effects that write (or a round
 * mixing both) are returned, to go through the effects queue as before. The action's time is the
 * message's arrival, so a retried event computes the same turn.
 */
async function stepInlineResults(
  turn: { key: string; event: InboundEvent; receivedAt: number; answersMessageAt: number; state: JsonObject; effects: PendingEffect[] },
  inline: InlineActions,
  deps: { engine: TurnEngine; log: Logger },
): Promise<{ state: JsonObject; effects: PendingEffect[]; replies: OutboundMessage[]; entries: TranscriptEntry[] }> {
  const { key, event, receivedAt, answersMessageAt } = turn;
  let { state, effects } = turn;
  const replies: OutboundMessage[] = [];
  const entries: TranscriptEntry[] = [];
  for (let round = 0; round < MAX_INLINE_ROUNDS && effects.length > 0 && effects.every((e) => inline.names.has(e.action)); round++) {
    const next: PendingEffect[] = [];
    for (const effect of effects) {
      const outcome = await inline.run({ action: effect.action, args: effect.args }, { channel: event.channel, userId: event.userId, conversationKey: key, now: receivedAt, locale: localeOf(state) });
      const resultEvent: InboundEvent = {
        id: `fx:${effect.causeId}:${effect.index}`,
        channel: event.channel,
        userId: event.userId,
        timestamp: receivedAt,
        content: { type: 'action_result', action: effect.action, ok: outcome.ok, code: outcome.code, data: outcome.data, requestedAt: answersMessageAt },
      };
      entries.push({ direction: 'in', at: receivedAt, id: resultEvent.id, text: describeInbound(resultEvent) });
      const stepped = deps.engine(state, resultEvent, receivedAt);
      if (stepped.kind === 'rejected') {
        deps.log.warn({ conversation: safeId(key), reason: stepped.reason, action: effect.action }, 'engine rejected an action result');
        continue;
      }
      state = stepped.state;
      replies.push(...stepped.replies);
      next.push(...stepped.effects.map((e, index) => ({ ...e, causeId: resultEvent.id, index })));
    }
    effects = next;
  }
  return { state, effects, replies, entries };
}

/**
 * Words a person of the Page typed to the citizen in the Page Inbox: recorded on the citizen's
 * transcript as an outbound line already delivered (never sent again), and the bot is silent there
 * for the quiet time from it. Not an inbound message: the citizen's messaging window is not touched
 * (invariant 9: only what the person sends opens it). A redelivery changes nothing: the transcript
 * line is keyed by the mid and the pause runs from the same time.
 */
async function handlePageReply(event: InboundEvent, receivedAt: number, deps: Parameters<typeof handleInboundEvent>[1]): Promise<void> {
  if (event.content.type !== 'page_reply') return;
  const key = conversationKey(event.channel, event.userId);
  const { conversations } = deps;
  const stored = await conversations.get(key);
  const state = readState(stored?.state);
  const until = receivedAt + (deps.pageReplyQuietMs ?? DEFAULT_PAGE_REPLY_QUIET_MS);
  await deps.onPageReply?.(event, receivedAt);
  const entry: TranscriptEntry = { direction: 'out', at: event.timestamp, id: `page:${event.id}`, platformMessageId: event.id, text: describeInbound(event), status: 'sent' };
  const pausedUntil = Math.max(state.pausedUntil ?? 0, until);
  await conversations.save({ key, channel: event.channel, userId: event.userId, state: toJson({ ...state, pausedUntil }) }, [entry], receivedAt);
  deps.log.info({ conversation: safeId(key), pausedUntil }, 'page inbox reply: the bot is paused for this conversation');
}

function toJson(s: StoredState): JsonObject {
  const json: JsonObject = { engine: s.engine as Json, outSeq: s.outSeq };
  if (s.pausedUntil !== undefined) json.pausedUntil = s.pausedUntil;
  return json;
}
