import type { InboundContent, InboundEvent, OutboundMessage } from '../channels/types';
import type { JsonObject } from '../shared/json';
import { foldText, normalizeText } from '../shared/text-fold';
import { matchCommand, OFFICIAL_PAYLOAD, payloadOf, type Command } from './commands';
import { MAX_TEXT, readAnswer, type AnswerResult } from './inputs';
import type { FlowRegistry } from './registry';
import type { AskStep, CallStep } from './schema';
import { decodeState, encodeState, freshState } from './state';
import { matchFreeText, matchKeyword } from './triggers';
import { Turn, type Effect } from './turn';
import { onEmergency, onUnderstood } from './understand-turn';
import type { Translator } from './translator';

export type { Effect };

export type StepResult =
  | { kind: 'advanced'; state: JsonObject; replies: OutboundMessage[]; effects: Effect[] }
  | { kind: 'rejected'; reason: string };

export interface StepContext {
  /** ms since the epoch: the only clock the engine sees */
  now: number;
  t: Translator;
}

/** Invalid answers to one question before the engine offers the menu or an official instead. */
const MAX_TRIES = 3;
/** How long a reply to a pending action is awaited before a new message is handled as fresh. */
const ACTION_PATIENCE_MS = 2 * 60_000;

/**
 * Applies one event to one conversation. PURE: no I/O, no clock but ctx.now, no randomness; the
 * same registry, state, event and ctx give the same result (invariant 6). `state` null is a new
 * conversation. Effects are requests for actions; their results come back as `action_result` events.
 */
export function step(registry: FlowRegistry, state: JsonObject | null, event: InboundEvent, ctx: { now: number; t: Translator }): StepResult {
  const turn = new Turn(state === null ? freshState() : decodeState(state), registry, event, ctx.now, ctx.t);
  const content = event.content;
  switch (content.type) {
    case 'unfollow':
      turn.abandon();
      break;
    case 'action_result': {
      if (state === null) {
        // The store no longer knows this conversation (it was emptied or restarted while the action
        // ran): the person still gets an answer, an apology and the menu, rather than silence.
        turn.say('engine.lost_context');
        turn.menu();
        break;
      }
      const rejected = onActionResult(turn, content);
      if (rejected) return { kind: 'rejected', reason: rejected };
      break;
    }
    case 'follow': {
      const hit = registry.triggers().firstContact;
      if (hit) turn.start(hit);
      else turn.menu();
      break;
    }
    case 'referral':
      onReferral(turn, content.ref, state === null);
      break;
    case 'page_reply':
      // Words a person of the Page wrote: the job layer records them and never steps the engine.
      return { kind: 'rejected', reason: 'a page reply is not for the flows' };
    default:
      onMessage(turn, content, state === null);
  }
  return { kind: 'advanced', state: encodeState(turn.s), replies: turn.replies, effects: turn.effects };
}

/**
 * A link or code that names a start (m.me ?ref=, a poster's QR code): a command or a flow's trigger
 * payload (MENU_BOOK) starts it; otherwise the flow with the `referral` trigger gets it in `ref`
 * (the procedures flow explains the procedure of that id, or greets); without one, the greeting.
 * Whatever was in progress is dropped: the person chose a new start.
 */
function onReferral(turn: Turn, ref: string, isNew: boolean): void {
  const index = turn.registry.triggers();
  const command = matchCommand({ type: 'postback', payload: ref });
  if (command) return onCommand(turn, command);
  if (index.payloads.has(ref)) {
    if (isNew && index.payloads.get(ref)!.flowId !== index.firstContact?.flowId) turn.say('engine.bot_intro');
    turn.startPayload(ref);
    return;
  }
  // The flow says who it is itself: it may well end in the greeting, which does.
  if (index.referral) return turn.start(index.referral, undefined, { ref });
  if (index.firstContact) return turn.start(index.firstContact);
  turn.menu();
}

function onActionResult(turn: Turn, content: Extract<InboundContent, { type: 'action_result' }>): string | undefined {
  const wait = turn.s.wait;
  if (wait?.kind !== 'call' || wait.action !== content.action) return `no ${content.action} result is awaited`;
  const step = turn.currentStep() as CallStep | undefined;
  if (!step || !('call' in step)) return `no ${content.action} result is awaited`;
  const result: JsonObject = { ok: content.ok };
  if (content.code !== undefined) result.code = content.code;
  if (content.data !== undefined) result.data = JSON.parse(JSON.stringify(content.data)) as JsonObject;
  turn.s.vars[step.save ?? 'result'] = result;
  turn.s.wait = null;
  if (turn.advance(step)) turn.run();
  return undefined;
}

function textOf(content: InboundContent): string | null {
  if (content.type === 'text') return normalizeText(content.text);
  return null;
}

function onMessage(turn: Turn, content: InboundContent, isNew: boolean): void {
  const command = matchCommand(content);
  if (command) return onCommand(turn, command);
  if (onEmergency(turn, content)) return;
  const wait = turn.s.wait;
  if (wait?.kind === 'call') {
    if (turn.now - wait.since < ACTION_PATIENCE_MS) return turn.say('engine.please_wait');
    turn.abandon();
  }
  if (wait?.kind === 'ask') return onAnswer(turn, content);
  onIdle(turn, content, isNew);
}

function onCommand(turn: Turn, command: Command): void {
  const wait = turn.s.wait;
  switch (command) {
    case 'menu':
      return turn.menu();
    case 'restart':
      turn.abandon();
      turn.say('engine.cancelled');
      return turn.menu();
    case 'official':
      if (!turn.startPayload(OFFICIAL_PAYLOAD)) turn.say('engine.official_missing', undefined, turn.escapeChoices());
      return;
    case 'help':
      turn.say('engine.help.general');
      return reaskOrMenu(turn, wait?.kind === 'ask' ? helpFor(turn) : undefined);
    case 'lang_vi':
    case 'lang_en':
      turn.s.locale = command === 'lang_en' ? 'en' : 'vi';
      turn.say('engine.language_changed');
      return reaskOrMenu(turn);
  }
}

/** Puts the open question again (with its help first, if given), or shows the menu when none is open. */
function reaskOrMenu(turn: Turn, help?: string): void {
  const wait = turn.s.wait;
  const step = turn.currentStep();
  if (wait?.kind === 'ask' && step && 'ask' in step) {
    if (help) turn.replies.push({ type: 'text', text: help });
    return turn.askQuestion(step, wait.tries);
  }
  if (wait?.kind === 'call') return;
  turn.menu();
}

function helpFor(turn: Turn, answer?: Extract<AnswerResult, { ok: false }>): string {
  const step = turn.currentStep() as AskStep;
  if (answer && answer.reason !== 'engine.invalid.generic') return turn.systemText(answer.reason, answer.vars);
  return step.input.help ? turn.text(step.input.help) : turn.systemText(`engine.help.${step.input.type}`);
}

function onAnswer(turn: Turn, content: InboundContent): void {
  const wait = turn.s.wait as Extract<typeof turn.s.wait, { kind: 'ask' }>;
  const step = turn.currentStep();
  if (!step || !('ask' in step)) return turn.lost();
  const payload = payloadOf(content);
  if (payload !== undefined && !wait.choices.some((c) => c.payload === payload)) {
    // a button from an earlier message: a menu button still starts its flow, anything else is stale
    if (turn.startPayload(payload)) return;
    turn.say('engine.old_button');
    return turn.askQuestion(step, wait.tries);
  }
  const answer: AnswerResult = payload === 'SKIP' && step.input.optional ? { ok: true, value: null } : readAnswer(step.input, content, wait.choices, turn.now);
  if (answer.ok) {
    if (step.save) {
      turn.s.vars[step.save] = answer.value;
      if (answer.extra?.display !== undefined) turn.s.vars[`${step.save}_display`] = answer.extra.display;
      if (answer.extra?.title !== undefined) turn.s.vars[`${step.save}_title`] = answer.extra.title;
    }
    turn.s.wait = null;
    const moved = answer.choice?.goto !== undefined ? turn.jump(answer.choice.goto, step) : turn.advance(step);
    if (moved) turn.run();
    return;
  }
  const text = textOf(content);
  if (text !== null && step.input.type !== 'text' && step.input.type !== 'location') {
    // on a closed question, a message naming another topic ("đặt lịch") is a change of mind, not a wrong answer
    const hit = matchKeyword(turn.registry.triggers(), foldText(text));
    if (hit && hit.flowId !== turn.top()?.flow) return turn.start(hit, text);
  }
  if (step.input.type === 'choice' && step.input.otherwise !== undefined && text !== null && foldText(text) !== '' && text.length <= MAX_TEXT) {
    turn.s.vars.trigger_text = text;
    turn.s.wait = null;
    if (turn.jump(step.input.otherwise, step)) turn.run();
    return;
  }
  if (text !== null && step.input.type !== 'text' && step.input.type !== 'location' && text.length <= MAX_TEXT) {
    // A whole new question typed instead of "Có"/"Không" or a date ("xin giấy xác nhận độc thân")
    // is the person moving on: listen to it rather than insist on the old question.
    const folded = foldText(text);
    const hit = folded.split(' ').filter((w) => /\p{L}/u.test(w)).length >= 3 ? matchFreeText(turn.registry.triggers(), folded) : undefined;
    if (hit) return turn.start(hit, text);
  }
  const tries = wait.tries + 1;
  if (tries >= MAX_TRIES) {
    turn.abandon();
    return turn.say('engine.stuck', undefined, turn.escapeChoices());
  }
  turn.replies.push({ type: 'text', text: helpFor(turn, answer) });
  turn.askQuestion(step, tries);
}

function onIdle(turn: Turn, content: InboundContent, isNew: boolean): void {
  const index = turn.registry.triggers();
  const payload = payloadOf(content);
  if (payload !== undefined) {
    if (turn.startPayload(payload)) return;
    turn.say('engine.old_button_idle');
    return turn.menu();
  }
  if (content.type === 'attachments' && content.attachments.length > 0 && content.attachments.every((a) => a.kind === 'sticker')) {
    turn.say('engine.sticker');
    return turn.menu();
  }
  const text = textOf(content);
  if (text !== null && text.length > MAX_TEXT) {
    turn.say('engine.too_long_idle', { max: MAX_TEXT });
    return turn.menu();
  }
  if (text !== null) {
    const folded = foldText(text);
    const keyword = matchKeyword(index, folded);
    if (!keyword && onUnderstood(turn, content)) return;
    const hit = keyword ?? matchFreeText(index, folded);
    if (hit) {
      if (isNew && hit.flowId !== index.firstContact?.flowId) turn.say('engine.bot_intro');
      return turn.start(hit, text);
    }
  }
  if (isNew && index.firstContact) return turn.start(index.firstContact);
  if (index.unknown) return turn.start(index.unknown);
  turn.say('engine.sorry');
  turn.menu();
}
