import type { InboundContent, InboundEvent, OutboundMessage } from '../channels/types';
import type { JsonObject } from '../shared/json';
import { foldText, normalizeText } from '../shared/text-fold';
import { findTrackingCode } from '../shared/tracking-codes';
import { matchCommand, MENU_PAYLOAD, OFFICIAL_PAYLOAD, payloadOf, payloadText, type Command } from './commands';
import { MAX_TEXT, readAnswer, type AnswerResult } from './inputs';
import { bareAnswer, isSkip, parseYesNo } from './inputs/yes-no';
import type { FlowRegistry } from './registry';
import type { AskStep, CallStep } from './schema';
import { decodeState, encodeState, freshState, type AskWait } from './state';
import { matchFreeText, matchKeyword, type TriggerHit } from './triggers';
import { MORE_PAYLOAD, NONE_PAYLOAD, Turn, type Effect } from './turn';
import { onEmergency, onUnderstood, smallTalkReply } from './understand-turn';
import { isEnglish, readFollowUp as readFollowUpAspect, readOtherOffice, readProblem, readSmallTalk } from './understanding';
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
/** How long a topic (the procedure just explained) answers follow-up questions. */
const TOPIC_MS = 30 * 60_000;

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
      onMessage(turn, asTap(turn, content), state === null);
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
  turn.leaveSaying();
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

/**
 * A text that is a payload is a tap: a Zalo `oa.query` button arrives as a message whose text is its
 * payload, and people copy buttons. A text equal to an offered choice's payload ("2026-03-09" for a
 * day, with or without "#"), or shaped like a payload (MENU_PETITION), is never read as words.
 */
function asTap(turn: Turn, content: InboundContent): InboundContent {
  if (content.type !== 'text' || content.payload !== undefined) return content;
  const typed = normalizeText(content.text).replace(/^#/, '');
  const wait = turn.s.wait;
  const offered = wait?.kind === 'ask' ? (wait.all ?? wait.choices) : wait?.kind === 'switch' ? switchChoices(turn) : [];
  const payload = offered.some((c) => c.payload === typed) ? typed : payloadText(content.text);
  return payload === undefined ? content : { type: 'text', text: content.text, payload };
}

function onMessage(turn: Turn, content: InboundContent, isNew: boolean): void {
  // an offer stands for the next message only
  const offer = turn.s.offer;
  delete turn.s.offer;
  if (turn.s.topic && turn.now - turn.s.topic.at > TOPIC_MS) delete turn.s.topic;
  const command = matchCommand(content);
  if (command) return onCommand(turn, command);
  onEnglish(turn, content);
  if (onEmergency(turn, content)) return;
  const wait = turn.s.wait;
  if (wait?.kind === 'call') {
    if (turn.now - wait.since < ACTION_PATIENCE_MS) return turn.say('engine.please_wait');
    turn.abandon();
  }
  if (wait?.kind === 'switch') return onSwitch(turn, content, wait);
  if (wait?.kind === 'ask') return onAnswer(turn, content);
  if (offer && takesOffer(turn, content, offer.payload)) {
    const hit = turn.registry.triggers().payloads.get(offer.payload);
    if (hit) return turn.start(hit, undefined, offer.vars);
  }
  onIdle(turn, content, isNew);
}

/** The offer's button, or a yes to it ("ok", "có", "uk"). */
function takesOffer(turn: Turn, content: InboundContent, payload: string): boolean {
  const tapped = payloadOf(content);
  if (tapped !== undefined) return tapped === payload;
  const text = textOf(content);
  return text !== null && parseYesNo(text) === true;
}

function onCommand(turn: Turn, command: Command): void {
  const wait = turn.s.wait;
  switch (command) {
    case 'menu':
      turn.leaveSaying();
      return turn.menu();
    case 'restart':
      turn.abandon();
      turn.say('engine.cancelled');
      return turn.menu();
    case 'official':
      turn.leaveSaying();
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
  if (wait?.kind === 'switch' && step && 'ask' in step) return turn.askQuestion(step, wait.held.tries);
  if (wait?.kind === 'ask' && step && 'ask' in step) {
    if (help) turn.replies.push({ type: 'text', text: help });
    return turn.askQuestion(step, wait.tries, wait.page);
  }
  if (wait?.kind === 'call') return;
  turn.menu();
}

function helpFor(turn: Turn, answer?: Extract<AnswerResult, { ok: false }>): string {
  const step = turn.currentStep() as AskStep;
  if (answer && answer.reason !== 'engine.invalid.generic') {
    const why = turn.systemText(answer.reason, answer.vars);
    // a specific problem ("that day is full") still says how to answer
    return answer.reason === 'engine.invalid.day_not_offered' ? `${why} ${turn.systemText('engine.help.choice')}` : why;
  }
  return step.input.help ? turn.text(step.input.help) : turn.systemText(`engine.help.${step.input.type}`);
}

const CONTINUE_PAYLOAD = 'FLOW_CONTINUE';
const SWITCH_PAYLOAD = 'FLOW_SWITCH';

function switchChoices(turn: Turn): { title: string; payload: string }[] {
  return [
    { title: turn.systemText('engine.choice.continue'), payload: CONTINUE_PAYLOAD },
    { title: turn.systemText('engine.choice.switch'), payload: SWITCH_PAYLOAD },
  ];
}

/** "Xem thêm", "còn nữa", "more": the next page of a long list. */
const MORE_WORDS = /^(?:xem them|them|xem tiep|tiep|con nua|con gi nua|con khac|khac nua|more|next|next page)$/;
/** "không phải cái đó", "không có cái nào": none of a list's items. */
const NONE_WORDS = /^(?:(?:khong|ko|k|kh|hong|cung khong) (?:phai|dung)(?: (?:cai|muc|thu tuc|ngay|gio|lich))?(?: (?:nao|do|nay|tren|nay het|het|ca))*|(?:khong|ko|k) co (?:cai|muc|thu tuc|ngay|gio)? ?(?:nao|phu hop|dung)(?: ca| het)?|sai roi|sai het|none|none of these|not these|cai khac|thu tuc khac|viec khac)$/;

function onAnswer(turn: Turn, content: InboundContent): void {
  const wait = turn.s.wait as AskWait;
  const step = turn.currentStep();
  if (!step || !('ask' in step)) return turn.lost();
  const payload = payloadOf(content);
  const text = textOf(content);
  const bare = text === null ? '' : bareAnswer(text);
  const all = wait.all ?? wait.choices;
  if (payload === MORE_PAYLOAD || (payload === undefined && wait.all && MORE_WORDS.test(bare))) return turn.askQuestion(step, wait.tries, (wait.page ?? 0) + 1);
  if (payload === NONE_PAYLOAD || (payload === undefined && all.some((c) => c.payload === NONE_PAYLOAD) && NONE_WORDS.test(bare))) return noneOfThese(turn);
  if (payload !== undefined && !all.some((c) => c.payload === payload)) {
    // a button from an earlier message: a menu button still starts its flow (saying what is left), anything else is stale
    const index = turn.registry.triggers();
    if (index.payloads.has(payload) || index.payloads.has(payload.split(':')[0])) turn.leaveSaying();
    if (turn.startPayload(payload)) return;
    turn.say('engine.old_button');
    return turn.askQuestion(step, wait.tries, wait.page);
  }
  // A number is the one shown on this page; words, days and times are read against the whole list
  // ("chứng thực" or "3h30 chiều" while page 1 shows).
  const pageNumber = /^(?:(?:so|chon|cai|muc|phuong an) )?\d{1,2}$/.test(bare);
  const offered = wait.all && !pageNumber ? wait.all : wait.choices;
  const answer: AnswerResult = payload === 'SKIP' && step.input.optional ? { ok: true, value: null } : readAnswer(step.input, content, offered, turn.now);
  if (answer.ok) {
    if (step.save) {
      turn.s.vars[step.save] = answer.value;
      if (answer.extra?.display !== undefined) turn.s.vars[`${step.save}_display`] = answer.extra.display;
      if (answer.extra?.title !== undefined) turn.s.vars[`${step.save}_title`] = answer.extra.title;
    }
    // what the person gave (not a pick from a found list, not a yes or no to an offer) is kept with care
    if (step.input.type !== 'yes_no' && !(step.input.type === 'choice' && step.input.choices_from)) turn.s.answered = (turn.s.answered ?? 0) + 1;
    turn.s.wait = null;
    const moved = answer.choice?.goto !== undefined ? turn.jump(answer.choice.goto, step) : turn.advance(step);
    if (moved) turn.run();
    return;
  }
  const closed = step.input.type !== 'text' && step.input.type !== 'location';
  // an answer that was read but cannot be taken ("chủ nhật" when the desk is closed), or a refusal ("ko co sdt"),
  // is an answer to this question, not a new request
  const answering = answer.reason !== 'engine.invalid.generic' || (text !== null && isSkip(text));
  if (text !== null && closed && !answering && text.length <= MAX_TEXT) {
    // "mất bao lâu" at the booking offer after the birth registration was explained: a follow-up
    // about the topic, answered, when the flow holds nothing the person gave
    const followUp = (turn.s.answered ?? 0) === 0 ? topicFollowUp(turn, text) : undefined;
    if (followUp) return turn.start(followUp.hit, text, followUp.vars);
    const other = newRequest(turn, text, step.input.type === 'choice' && step.input.otherwise !== undefined);
    if (other) return leaveFor(turn, other, text, wait);
  }
  if (step.input.type === 'choice' && step.input.otherwise !== undefined && text !== null && foldText(text) !== '' && text.length <= MAX_TEXT) {
    turn.s.vars.trigger_text = text;
    turn.s.wait = null;
    if (turn.jump(step.input.otherwise, step)) turn.run();
    return;
  }
  if (text !== null && closed && text.length <= MAX_TEXT) {
    // Free text at a list the flow did not write out, with nothing given yet, is a new message when it
    // reads as one (thanks, a problem, another topic); anything else gets the list again.
    if (step.input.type === 'choice' && step.input.choices_from && (turn.s.answered ?? 0) === 0 && readsAsMessage(turn, text)) {
      turn.abandon();
      return onIdle(turn, content, false);
    }
    // "cảm ơn", "👍" while a question is open: a word back, and the question stays
    const small = smallTalkReply(turn, content);
    if (small) {
      turn.replies.push({ type: 'text', text: small });
      return turn.askQuestion(step, wait.tries, wait.page);
    }
  }
  const tries = wait.tries + 1;
  if (tries >= MAX_TRIES) {
    turn.leaveSaying();
    turn.abandon();
    return turn.say('engine.stuck', undefined, turn.escapeChoices());
  }
  turn.replies.push({ type: 'text', text: helpFor(turn, answer) });
  turn.askQuestion(step, tries, wait.page);
}

/**
 * A message at a closed question that is a new request: a tracking code, another flow's keyword
 * ("đặt lịch" at the photo question), or a question in words ("xin giấy xác nhận độc thân").
 */
function newRequest(turn: Turn, text: string, hasOtherwise: boolean): TriggerHit | undefined {
  const index = turn.registry.triggers();
  if (index.code && findTrackingCode(text) !== null) return index.code;
  const folded = foldText(text);
  const hit = matchKeyword(index, folded);
  // naming the flow one is in (or the one that called it: "phản ánh" at the petition's consent) is no new request
  const inProgress = (h: TriggerHit) => turn.s.frames.some((f) => f.flow === h.flowId);
  if (hit && !inProgress(hit)) return hit;
  if (hit) return undefined;
  if (hasOtherwise) return undefined;
  // a question in words needs a topic word of its own ("độc thân") or a real sentence, not "chủ nhật được không"
  const ft = index.freeText;
  const padded = ` ${folded} `;
  const words = folded.split(' ').filter((w) => /\p{L}/u.test(w)).length;
  return ft && (words >= 6 || (words >= 3 && ft.hints.some((h) => padded.includes(` ${h} `)))) ? matchFreeText(index, folded) : undefined;
}

/** Starts the new request at once when the flow holds nothing yet; else asks whether to leave it. */
function leaveFor(turn: Turn, hit: TriggerHit, text: string, held: AskWait): void {
  if ((turn.s.answered ?? 0) === 0) return turn.start(hit, text);
  const current = turn.currentTitle() ?? '';
  const next = turn.registry.latest(hit.flowId);
  turn.say('engine.switch_ask', { current, next: next ? `"${turn.text(next.title)}"` : '' }, switchChoices(turn));
  turn.s.wait = { kind: 'switch', hit, text, held };
}

const CONTINUE_WORDS = /^(?:tiep tuc|tiep|lam tiep|gui tiep|tiep di|continue|go on|keep going)$/;
const SWITCH_WORDS = /^(?:chuyen|chuyen viec moi|chuyen sang|viec moi|dung|dung lai|dung di|thoi|bo|bo di|huy|switch|stop)$/;

function onSwitch(turn: Turn, content: InboundContent, wait: Extract<NonNullable<Turn['s']['wait']>, { kind: 'switch' }>): void {
  const step = turn.currentStep();
  if (!step || !('ask' in step)) return turn.lost();
  const payload = payloadOf(content);
  const text = textOf(content);
  const bare = text === null ? '' : bareAnswer(text);
  const yes = text === null ? null : parseYesNo(text);
  if (payload === CONTINUE_PAYLOAD || CONTINUE_WORDS.test(bare) || yes === true) return turn.askQuestion(step, 0);
  if (payload === SWITCH_PAYLOAD || SWITCH_WORDS.test(bare) || yes === false) return turn.start(wait.hit, wait.text);
  // anything else answers the question that was open
  turn.s.wait = wait.held;
  onAnswer(turn, content);
}

/** "Không phải mục trên": the list is left, with the ways on offered. */
function noneOfThese(turn: Turn): void {
  turn.abandon();
  const choices = [
    ...(turn.registry.triggers().payloads.has('MENU_PETITION') ? [{ title: turn.systemText('engine.understand.choice.petition'), payload: 'MENU_PETITION' }] : []),
    { title: turn.systemText('engine.choice.official'), payload: OFFICIAL_PAYLOAD },
    { title: turn.systemText('engine.choice.menu'), payload: MENU_PAYLOAD },
  ];
  turn.say('engine.none_of_these', undefined, choices);
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
    if (index.code && findTrackingCode(text) !== null) return turn.start(index.code, text);
    const folded = foldText(text);
    const keyword = matchKeyword(index, folded);
    const topic = turn.s.topic;
    if (!keyword) {
      // "mất bao lâu" right after the birth registration was explained: that part of that procedure
      const followUp = topicFollowUp(turn, text);
      if (followUp) return turn.start(followUp.hit, text, followUp.vars);
    }
    if (!keyword && onUnderstood(turn, content)) return;
    const hit = keyword ?? matchFreeText(index, folded);
    if (hit) {
      if (isNew && hit.flowId !== index.firstContact?.flowId) turn.say('engine.bot_intro');
      // "đặt lịch" after a procedure's explanation books that procedure; a new search changes the topic
      if (topic && hit.flowId !== index.followUp?.flowId) return turn.start(hit, text, topic.vars);
      delete turn.s.topic;
      return turn.start(hit, text);
    }
  }
  if (isNew && index.firstContact) return turn.start(index.firstContact);
  if (index.unknown) return turn.start(index.unknown);
  turn.say('engine.sorry');
  turn.menu();
}

/** The follow-up flow and its values when `text` asks about a part of the topic just explained. */
function topicFollowUp(turn: Turn, text: string): { hit: TriggerHit; vars: JsonObject } | undefined {
  const index = turn.registry.triggers();
  const topic = turn.s.topic;
  if (!topic || !index.followUp || matchKeyword(index, foldText(text))) return undefined;
  const aspect = readFollowUp(turn.registry, text, index.freeText?.hints ?? []);
  return aspect ? { hit: index.followUp, vars: { ...topic.vars, aspect } } : undefined;
}

/**
 * The part of the topic a message asks about, when it asks about no other procedure: "thế lệ phí bao
 * nhiêu" is a follow-up, "lệ phí kết hôn bao nhiêu" a new question (it names a procedure's topic word).
 */
function readFollowUp(registry: FlowRegistry, text: string, hints: readonly string[]): string | undefined {
  const u = registry.understanding;
  if (!u) return undefined;
  const aspect = readFollowUpAspect(u, text);
  if (!aspect) return undefined;
  let padded = ` ${foldText(text)} `;
  for (const f of u.followUps) for (const p of f.phrases) padded = padded.split(` ${p} `).join(' ');
  return hints.some((h) => padded.includes(` ${h} `)) ? undefined : aspect;
}

/** A message written in English is answered in English from then on, saying how to switch back. */
function onEnglish(turn: Turn, content: InboundContent): void {
  const u = turn.registry.understanding;
  if (!u || turn.s.locale === 'en' || content.type !== 'text' || content.payload !== undefined) return;
  if (!isEnglish(u, content.text)) return;
  turn.s.locale = 'en';
  turn.say('engine.language_detected');
}

/** Whether a text says something of its own: small talk, a problem, another office's matter, a topic or a question. */
function readsAsMessage(turn: Turn, text: string): boolean {
  const u = turn.registry.understanding;
  if (u && (readSmallTalk(u, text) || readProblem(u, text) || readOtherOffice(u, text))) return true;
  const index = turn.registry.triggers();
  const folded = foldText(text);
  return matchKeyword(index, folded) !== undefined || matchFreeText(index, folded) !== undefined;
}
