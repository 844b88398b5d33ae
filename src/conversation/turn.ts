import type { InboundEvent, OutboundMessage, Button, Choice } from '../channels/types';
import type { Json, JsonObject } from '../shared/json';
import { MENU_PAYLOAD, PAYLOAD_WITH_VALUE } from './commands';
import { testCondition } from './conditions';
import type { OfferedChoice } from './inputs';
import type { FlowRegistry } from './registry';
import { stepKind, type AskStep, type Flow, type SayStep, type Step, type Target, type Text } from './schema';
import type { ConversationState, Frame } from './state';
import { foldText } from '../shared/text-fold';
import { readAnswer } from './inputs';
import { fillJson, fillTemplate, readPath, renderText } from './text';
import type { TriggerHit } from './triggers';
import type { Translator } from './translator';

/** An action the engine asks for; the job workers run it and feed back an `action_result` event. */
export interface Effect {
  action: string;
  args: JsonObject;
}

/** Steps one event may run before the engine decides a flow loops (a goto cycle with no question). */
const MAX_STEPS = 200;
/** Messenger quick replies stop at 13. */
const MAX_CHOICES = 13;
/** Zalo shows five buttons on a message. */
const ZALO_CHOICES = 5;
/** The engine's own choices on a question: another page of a long list, none of the listed ones. */
export const MORE_PAYLOAD = 'MORE';
export const NONE_PAYLOAD = 'NONE_OF_THESE';

/** What the texts call the commune when no commune profile was given (a registry of flows alone). */
const UNNAMED_COMMUNE = {
  vi: { name: 'xã', controller: 'UBND xã', controller_contact: 'UBND xã' },
  en: { name: 'the commune', controller: "the commune's People's Committee", controller_contact: "the commune's People's Committee" },
} as const;

/** The work of one event on one conversation: state changes in place, replies and effects collect. */
export class Turn {
  readonly replies: OutboundMessage[] = [];
  readonly effects: Effect[] = [];

  constructor(
    readonly s: ConversationState,
    readonly registry: FlowRegistry,
    readonly event: InboundEvent,
    readonly now: number,
    readonly t: Translator,
  ) {}

  /** Variables as templates see them: the flow's, plus the person's language and channel and the commune's facts. */
  view(): JsonObject {
    return { ...this.s.vars, locale: this.s.locale, channel: this.event.channel, commune: this.communeFacts() };
  }

  /** The commune's facts in the person's language ({{commune.address}}); empty when none were given. */
  communeFacts(): JsonObject {
    return { ...UNNAMED_COMMUNE[this.s.locale], ...(this.registry.commune?.[this.s.locale] ?? {}) };
  }

  text(text: Text): string {
    return renderText(text, this.s.locale, this.t, this.view());
  }

  systemText(key: string, vars?: Record<string, unknown>): string {
    return this.t.t(key, this.s.locale, { commune: this.communeFacts(), ...vars });
  }

  say(key: string, vars?: Record<string, unknown>, choices?: Choice[]): void {
    this.replies.push(choices ? { type: 'text', text: this.systemText(key, vars), choices } : { type: 'text', text: this.systemText(key, vars) });
  }

  /** "Menu" and "Gặp cán bộ", offered whenever the engine gives up on a question. */
  escapeChoices(): Choice[] {
    return [
      { title: this.systemText('engine.choice.menu'), payload: MENU_PAYLOAD },
      { title: this.systemText('engine.choice.official'), payload: 'MENU_OFFICIAL' },
    ];
  }

  top(): Frame | undefined {
    return this.s.frames[this.s.frames.length - 1];
  }

  flowOf(frame: Frame): Flow | undefined {
    return this.registry.get(frame.flow, frame.version, frame.rev);
  }

  currentStep(): Step | undefined {
    const frame = this.top();
    const flow = frame && this.flowOf(frame);
    const i = flow?.stepIndex.get(frame!.step);
    return i === undefined ? undefined : flow!.steps[i];
  }

  abandon(): void {
    this.s.frames = [];
    this.s.wait = null;
    this.s.vars = {};
    delete this.s.answered;
  }

  /** The title of the flow in progress, in the person's language; undefined when none is. */
  currentTitle(): string | undefined {
    const frame = this.s.frames[0];
    const flow = frame && this.flowOf(frame);
    return flow ? this.text(flow.title) : undefined;
  }

  /**
   * Leaves a flow that holds answers for a command or a new start, saying so: what the person typed
   * there is not silently dropped.
   */
  leaveSaying(): void {
    const title = (this.s.answered ?? 0) > 0 ? this.currentTitle() : undefined;
    if (title !== undefined) this.say('engine.flow_left', { current: title });
  }

  /** Starts a flow from scratch (newest version), dropping whatever was in progress. */
  start(hit: TriggerHit, triggerText?: string, vars?: JsonObject): void {
    this.abandon();
    const flow = this.registry.latest(hit.flowId);
    if (!flow) return this.lost();
    if (triggerText !== undefined) this.s.vars.trigger_text = triggerText;
    if (vars) Object.assign(this.s.vars, vars);
    this.s.frames.push({ flow: flow.id, version: flow.version, rev: flow.rev, step: hit.step ?? flow.steps[0].id });
    this.run();
  }

  /** Starts the flow a payload triggers; false when none does. */
  startPayload(payload: string): boolean {
    const payloads = this.registry.triggers().payloads;
    const hit = payloads.get(payload);
    if (hit) {
      this.start(hit);
      return true;
    }
    // `NAME:value`: the flow NAME starts, with the value in `payload_value` (e.g. the case a rating is for).
    const withValue = PAYLOAD_WITH_VALUE.exec(payload);
    const named = withValue ? payloads.get(withValue[1]) : undefined;
    if (!named || !withValue) return false;
    this.start(named, undefined, { payload_value: withValue[2] });
    return true;
  }

  menu(): void {
    if (!this.startPayload(MENU_PAYLOAD)) this.say('engine.menu_missing', undefined, this.escapeChoices());
  }

  /** A flow or step this conversation was on is gone: apologise and offer the menu, never leave the person hanging. */
  lost(): void {
    this.abandon();
    this.say('engine.flow_missing');
    this.menu();
  }

  run(): void {
    for (let n = 0; n < MAX_STEPS; n++) {
      const frame = this.top();
      if (!frame) return;
      const step = this.currentStep();
      if (!step) return this.lost();
      if (!this.runStep(frame, step)) return;
    }
    this.abandon();
    this.say('engine.loop');
    this.menu();
  }

  /** Runs one step; false when the conversation now waits for the person or an action. */
  private runStep(frame: Frame, step: Step): boolean {
    switch (stepKind(step)) {
      case 'say':
        this.replies.push(this.sayMessage(step as SayStep));
        return this.advance(step);
      case 'ask':
        if (this.prefill(frame, step as AskStep)) return true;
        this.askQuestion(step as AskStep, 0);
        return false;
      case 'set':
        if ('set' in step) {
          const values: JsonObject = {};
          for (const [k, v] of Object.entries(step.set)) values[k] = this.s.vars[k] = fillJson(v as Json, this.view());
          if (step.topic) this.s.topic = { vars: values, at: this.now };
        }
        return this.advance(step);
      case 'branch': {
        if (!('branch' in step)) return false;
        const hit = step.branch.find((b) => testCondition(b.if, this.view()));
        const target = hit?.goto ?? step.else;
        return target === undefined ? this.advance(step) : this.jump(target, step);
      }
      case 'call':
        if (!('call' in step)) return false;
        this.effects.push({ action: step.call, args: fillJson(step.args ?? {}, this.view()) as JsonObject });
        this.s.wait = { kind: 'call', action: step.call, since: this.now };
        return false;
      case 'goto':
        return 'goto' in step ? this.jump(step.goto, step) : false;
      case 'end':
        if ('end' in step && step.end !== true) this.replies.push({ type: 'text', text: this.text(step.end) });
        this.endFrame();
        return this.top() !== undefined;
    }
    return false;
  }

  /** The step after `step`: its `next`, else the one below it in the file, else the end of the flow. */
  advance(step: Step): boolean {
    if ('next' in step && step.next !== undefined) return this.jump(step.next, step);
    const frame = this.top()!;
    const flow = this.flowOf(frame)!;
    const following = flow.steps[(flow.stepIndex.get(step.id) ?? Infinity) + 1];
    if (following) {
      frame.step = following.id;
      return true;
    }
    this.endFrame();
    return this.top() !== undefined;
  }

  private resumeAfter(step: Step): string | null {
    if ('next' in step && typeof step.next === 'string') return step.next;
    const flow = this.flowOf(this.top()!)!;
    return flow.steps[(flow.stepIndex.get(step.id) ?? Infinity) + 1]?.id ?? null;
  }

  jump(target: Target, from: Step): boolean {
    const frame = this.top()!;
    if (typeof target === 'string') {
      frame.step = target;
      return true;
    }
    if (target.flow === frame.flow && !target.return) {
      frame.step = target.step ?? this.flowOf(frame)!.steps[0].id;
      return true;
    }
    const flow = this.registry.latest(target.flow);
    if (!flow) {
      this.lost();
      return false;
    }
    if (target.return) frame.resume = this.resumeAfter(from);
    else this.s.frames.pop();
    this.s.frames.push({ flow: flow.id, version: flow.version, rev: flow.rev, step: target.step ?? flow.steps[0].id });
    return true;
  }

  /** Ends the top flow; a caller waiting on it (goto with return) continues where it left off. */
  endFrame(): void {
    this.s.frames.pop();
    for (let caller = this.top(); caller; caller = this.top()) {
      if (typeof caller.resume === 'string') {
        caller.step = caller.resume;
        delete caller.resume;
        return;
      }
      this.s.frames.pop();
    }
    this.s.vars = {};
    this.s.wait = null;
    delete this.s.answered;
  }

  sayMessage(step: SayStep): OutboundMessage {
    const text = this.text(step.say);
    if (step.buttons) {
      const buttons: Button[] = step.buttons.map((b) =>
        'url' in b ? { type: 'url', title: this.text(b.title), url: b.url } : 'phone' in b ? { type: 'phone', title: this.text(b.title), phone: b.phone } : { type: 'postback', title: this.text(b.title), payload: b.payload },
      );
      return { type: 'buttons', text, buttons };
    }
    if (step.choices) return { type: 'text', text, choices: step.choices.map((c) => ({ title: this.text(c.title), payload: c.payload })) };
    return { type: 'text', text };
  }

  offeredChoices(step: AskStep): OfferedChoice[] {
    const input = step.input;
    const out: OfferedChoice[] = [];
    if (input.type === 'choice') {
      for (const c of input.choices ?? []) {
        const o: OfferedChoice = { title: this.text(c.title), payload: c.payload };
        if (c.value !== undefined) o.value = c.value as Json;
        if (c.goto !== undefined) o.goto = c.goto;
        if (c.keywords) o.keywords = c.keywords.map(foldText);
        if (c.means) o.means = c.means;
        out.push(o);
      }
      const from = input.choices_from;
      const list = from ? readPath(this.view(), from.list) : undefined;
      if (from && Array.isArray(list)) {
        for (const item of from.limit === undefined ? list : list.slice(0, from.limit)) {
          if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
          const title = item[from.title];
          const payload = item[from.payload];
          if ((typeof title !== 'string' && typeof title !== 'number') || (typeof payload !== 'string' && typeof payload !== 'number')) continue;
          const o: OfferedChoice = { title: String(title), payload: String(payload) };
          if (from.goto !== undefined) o.goto = from.goto;
          const words = from.keywords === undefined ? undefined : item[from.keywords];
          if (typeof words === 'string' && foldText(words) !== '') o.keywords = [foldText(words)];
          out.push(o);
        }
      }
    }
    if (input.type === 'yes_no') {
      out.push({ title: this.systemText('engine.choice.yes'), payload: 'YES' }, { title: this.systemText('engine.choice.no'), payload: 'NO' });
    }
    if (input.optional && input.type !== 'choice' && input.type !== 'yes_no') out.push({ title: this.systemText('engine.choice.skip'), payload: 'SKIP' });
    // A list the flow did not write out (procedures found, open days) may hold none the person wants.
    if (input.type === 'choice' && input.choices_from && out.length > 0) out.push({ title: this.systemText('engine.choice.none'), payload: NONE_PAYLOAD });
    return out;
  }

  /**
   * Answers a question from words already said (its `prefill`, e.g. the first message "đặt lịch thứ 5
   * lúc 9h"), once per flow: true when they answered it and the flow moved on.
   */
  private prefill(frame: Frame, step: AskStep): boolean {
    if (step.prefill === undefined || frame.prefilled?.includes(step.id)) return false;
    frame.prefilled = [...(frame.prefilled ?? []), step.id];
    const said = fillTemplate(step.prefill, this.view()).trim();
    if (said === '') return false;
    const answer = readAnswer(step.input, { type: 'text', text: said }, this.offeredChoices(step), this.now);
    if (!answer.ok || (step.input.type === 'choice' && !answer.choice)) return false;
    if (step.save) {
      this.s.vars[step.save] = answer.value;
      if (answer.extra?.display !== undefined) this.s.vars[`${step.save}_display`] = answer.extra.display;
      if (answer.extra?.title !== undefined) this.s.vars[`${step.save}_title`] = answer.extra.title;
    }
    return answer.choice?.goto !== undefined ? this.jump(answer.choice.goto, step) : this.advance(step);
  }

  /**
   * Sends the question (again) and waits for its answer. A list longer than the platform shows
   * (Messenger 13 quick replies, Zalo 5 buttons) is paged: each page ends with "Xem thêm", and the
   * engine's "none of these" stays on every page, so every item is reachable by tapping.
   */
  askQuestion(step: AskStep, tries: number, page = 0): void {
    const all = this.offeredChoices(step);
    const limit = this.event.channel === 'zalo' ? ZALO_CHOICES : MAX_CHOICES;
    let choices = all;
    let paged: { all: OfferedChoice[]; page: number } | undefined;
    if (all.length > limit) {
      const fixed = all.filter((c) => c.payload === NONE_PAYLOAD);
      const items = all.filter((c) => c.payload !== NONE_PAYLOAD);
      const per = limit - fixed.length - 1;
      const pages = Math.ceil(items.length / per);
      const p = ((page % pages) + pages) % pages;
      choices = [...items.slice(p * per, p * per + per), { title: this.systemText('engine.choice.more'), payload: MORE_PAYLOAD }, ...fixed];
      paged = { all, page: p };
    }
    const text = this.text(step.ask);
    const wire: Choice[] = choices.map((c) => ({ title: c.title, payload: c.payload }));
    if (step.input.type === 'choice' && step.input.style === 'buttons' && wire.length > 0 && wire.length <= 3) {
      this.replies.push({ type: 'buttons', text, buttons: wire.map((c) => ({ type: 'postback', title: c.title, payload: c.payload })) });
    } else {
      this.replies.push(wire.length > 0 ? { type: 'text', text, choices: wire } : { type: 'text', text });
    }
    this.s.wait = paged ? { kind: 'ask', tries, choices, ...paged } : { kind: 'ask', tries, choices };
  }
}
