import { join } from 'node:path';
import type { InboundContent, InboundEvent } from '../../../src/channels/types';
import { step, type FlowRegistry, type StepResult, type Translator } from '../../../src/conversation';
import { createTranslator } from '../../../src/i18n';
import type { JsonObject } from '../../../src/shared/json';

export const ROOT = join(__dirname, '..', '..', '..');
export const FLOWS_DIR = join(ROOT, 'flows');
export const LOCALES_DIR = join(ROOT, 'locales');

/** Monday 2 March 2026, 09:00 in Vietnam */
export const NOW = Date.parse('2026-03-02T09:00:00+07:00');

export function translator(): Promise<Translator> {
  return createTranslator(LOCALES_DIR);
}

export function event(content: InboundContent, id = 'e1'): InboundEvent {
  return { id, channel: 'messenger', userId: 'u1', timestamp: NOW, content };
}

/** A conversation driven through step(), keeping its state between messages. */
export function chat(registry: () => FlowRegistry, t: () => Translator, now = NOW) {
  let state: JsonObject | null = null;
  return {
    get state() {
      return state;
    },
    set state(s: JsonObject | null) {
      state = s;
    },
    send(content: InboundContent, reg?: FlowRegistry): Extract<StepResult, { kind: 'advanced' }> {
      const r = step(reg ?? registry(), state, event(content), { now, t: t() });
      if (r.kind !== 'advanced') throw new Error(`rejected: ${r.reason}`);
      state = r.state;
      return r;
    },
    say(text: string, reg?: FlowRegistry) {
      return this.send({ type: 'text', text }, reg);
    },
  };
}

export function texts(r: { replies: { type: string }[] }): string {
  return r.replies.map((m) => ('text' in m ? (m as { text: string }).text : '')).join('\n');
}
