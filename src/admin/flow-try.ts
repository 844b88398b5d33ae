import type { InboundContent, InboundEvent, OutboundMessage } from '../channels/types';
import { FlowRegistry, step, validateFlowSource, type Effect, type Translator } from '../conversation';
import { AppError } from '../shared/app-error';
import type { JsonObject } from '../shared/json';
import type { FlowPublishing } from './flows';

/** What the try panel shows for one reply: its text and the buttons to tap. */
export type TryReply =
  | { kind: 'message'; text: string; choices: { title: string; payload: string }[] }
  | { kind: 'image'; url: string; caption?: string }
  /** an action the flow asked for, answered with a made-up result: nothing was filed or booked */
  | { kind: 'trial-action'; action: string; text: string };

export interface TryTurn {
  /** the conversation's state after the turn: the panel sends it back with the next message */
  state: JsonObject;
  replies: TryReply[];
}

/** What the admin did in the panel: typed a line, tapped a button, or opened the chat. */
export type TryInput = { type: 'text'; text: string; payload?: string } | { type: 'postback'; payload: string; title?: string } | { type: 'follow' };

/** Runs an action that only reads the commune's data (procedures, free days and slots). */
export type ReadOnlyActionRunner = (effect: Effect, locale: string) => Promise<{ ok: boolean; code?: string; data?: Record<string, unknown> }>;

/** Actions that read only the catalogue and the desk's calendar: safe to run for real from the panel. */
export const READ_ONLY_ACTIONS = new Set(['procedure.find', 'procedure.explain', 'procedure.list', 'appointment.days', 'appointment.slots']);

export const TRIAL_NOTE = 'Thử nghiệm: không ghi thật / Trial: nothing recorded';
const TRIAL_CODE = 'THU-NGHIEM';

/**
 * The made-up success of an action that would write (file a case, book, cancel, record consent…):
 * the flow's success branch runs, and every value says it is a trial.
 */
function trialResult(action: string, now: number): { ok: boolean; code?: string; data: Record<string, unknown> } {
  switch (action) {
    case 'case.lookup':
    case 'appointment.mine':
      // Real people's cases and appointments are not shown in a trial.
      return { ok: false, code: 'NOT_FOUND', data: { items: [] } };
    default:
      return {
        ok: true,
        data: {
          trial: true,
          id: TRIAL_CODE,
          code: TRIAL_CODE,
          dueText: TRIAL_NOTE,
          when: TRIAL_NOTE,
          confirmation: TRIAL_NOTE,
          version: 'trial',
          recordedAt: now,
          items: [],
        },
      };
  }
}

function shown(m: OutboundMessage): TryReply | null {
  switch (m.type) {
    case 'text':
      return { kind: 'message', text: m.text, choices: (m.choices ?? []).map((c) => ({ title: c.title, payload: c.payload })) };
    case 'buttons':
      return { kind: 'message', text: m.text, choices: m.buttons.flatMap((b) => (b.type === 'postback' ? [{ title: b.title, payload: b.payload }] : [])) };
    case 'image':
      return { kind: 'image', url: m.url, ...(m.caption ? { caption: m.caption } : {}) };
    default:
      return null;
  }
}

/**
 * One turn of the flow editor's "try the draft" chat: the engine's pure step over the flows in use
 * with the draft in place of its flow. Nothing is sent to a platform, queued, or stored; an action
 * that would write answers with a made-up result (TRIAL_NOTE), and only the read-only catalogue and
 * calendar actions run for real (when `readOnly` is given).
 */
export function createFlowTrial(deps: { publishing: FlowPublishing; t: Translator; readOnly?: ReadOnlyActionRunner; now?: () => number }) {
  const { publishing, t, readOnly, now = Date.now } = deps;

  async function registryWith(flowId: string, source: string): Promise<FlowRegistry> {
    const draft = validateFlowSource(source, `${flowId} (draft)`);
    if (!draft.ok) throw new AppError('VALIDATION_FAILED', 'the draft is not a valid flow', { problems: draft.problems.map((p) => ({ message: `${p.line ? `line ${p.line}: ` : ''}${p.message}` })) });
    if (draft.flow.id !== flowId) throw new AppError('VALIDATION_FAILED', `the draft declares id "${draft.flow.id}", not "${flowId}"`, { problems: [{ message: `id: the draft declares "${draft.flow.id}", not "${flowId}"` }] });
    let registry = FlowRegistry.empty();
    for (const [id, s] of await publishing.currentSources()) {
      if (id === flowId) continue;
      const other = validateFlowSource(s.source, s.file);
      if (other.ok) registry = registry.withFlow(other.flow);
    }
    return registry.withFlow(draft.flow);
  }

  return async function tryTurn(input: { flowId: string; source: string; state: JsonObject | null; content: TryInput; seq: number }): Promise<TryTurn> {
    const registry = await registryWith(input.flowId, input.source);
    let state = input.state;
    const replies: TryReply[] = [];
    const queue: InboundContent[] = [input.content];
    let seq = input.seq * 100;
    // Actions answer at once here; the bound stops a flow that would call actions forever.
    for (let guard = 0; queue.length > 0 && guard < 20; guard++) {
      const at = now();
      const event: InboundEvent = { id: `try-${++seq}`, channel: 'console', userId: 'try-panel', timestamp: at, content: queue.shift()! };
      let result: ReturnType<typeof step>;
      try {
        result = step(registry, state, event, { now: at, t });
      } catch {
        // Only a state the panel mangled gets here (the flows are checked): say so, change nothing.
        throw new AppError('VALIDATION_FAILED', 'the panel state could not be read: start the chat over', { problems: [{ message: 'state: start the chat over' }] });
      }
      if (result.kind === 'rejected') continue;
      state = result.state;
      for (const r of result.replies) {
        const s = shown(r);
        if (s) replies.push(s);
      }
      const locale = typeof state.locale === 'string' ? state.locale : 'vi';
      for (const effect of result.effects) {
        const outcome = readOnly && READ_ONLY_ACTIONS.has(effect.action) ? await readOnly(effect, locale) : null;
        const answer = outcome ?? trialResult(effect.action, at);
        if (!outcome) replies.push({ kind: 'trial-action', action: effect.action, text: `${TRIAL_NOTE}: ${effect.action}` });
        queue.push({ type: 'action_result', action: effect.action, ok: answer.ok, ...(answer.code ? { code: answer.code } : {}), ...(answer.data ? { data: answer.data } : {}) });
      }
    }
    return { state: state ?? {}, replies };
  };
}

export type FlowTrial = ReturnType<typeof createFlowTrial>;
