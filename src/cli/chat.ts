/**
 * `npm run chat` — talk to the assistant in a terminal, with the real flows and the real civic
 * actions, rendered as Messenger (default) or Zalo would show them. No platform account, no Redis.
 *
 *   npm run chat                       # as Messenger
 *   npm run chat -- --as zalo          # as Zalo (choices as stacked buttons, taps as postbacks)
 *   npm run chat -- --flows path/to/flows
 *
 * Type a number to tap a choice; /follow, /postback PAYLOAD, /image, /sticker, /location lat,lng
 * play the other events; /quit leaves.
 */
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseConsoleLine } from '../channels/console/parse';
import { renderConsoleMessage, type ConsoleStyle } from '../channels/console/render';
import type { Choice, InboundContent, InboundEvent } from '../channels/types';
import { createActionHandlers, runAction, type ActionHandler } from '../civic/actions';
import { MemoryAttemptLimiter } from '../civic/cases/attempt-limiter';
import { seedOfficials } from '../civic/officials/seed-officials';
import { loadFlowRegistry, step, type FlowRegistry, type Translator } from '../conversation';
import { loadCommuneData } from '../commune-data';
import { createTranslator } from '../i18n';
import { LOCALES_DIR } from '../paths';
import type { JsonObject } from '../shared/json';
import { createMemoryStores } from '../store/memory';

export interface ChatSession {
  /** Sends what the person did; resolves with what the assistant showed, in order. */
  send(content: InboundContent): Promise<{ text: string; offered: Choice[] }[]>;
  offered(): Choice[];
}

/** A conversation run in-process: engine steps, with actions run at once and fed back. */
export function createChatSession(deps: { registry: FlowRegistry; t: Translator; handlers: Record<string, ActionHandler>; style: ConsoleStyle; userId?: string; now?: () => number }): ChatSession {
  const { registry, t, style, handlers, userId = 'console-user', now = Date.now } = deps;
  let state: JsonObject | null = null;
  let offered: Choice[] = [];
  let seq = 0;

  async function turn(content: InboundContent) {
    const shown: { text: string; offered: Choice[] }[] = [];
    const queue: InboundContent[] = [content];
    // Actions answer at once here; a bound stops a flow that would call actions forever.
    for (let guard = 0; queue.length > 0 && guard < 20; guard++) {
      const c = queue.shift()!;
      const event: InboundEvent = { id: `console-${++seq}`, channel: 'console', userId, timestamp: now(), content: c };
      const result = step(registry, state, event, { now: event.timestamp, t });
      if (result.kind === 'rejected') continue;
      state = result.state;
      for (const reply of result.replies) {
        if (reply.type === 'typing') continue;
        const r = renderConsoleMessage(reply, style);
        shown.push(r);
        if (r.offered.length > 0) offered = r.offered;
      }
      const locale = typeof state.locale === 'string' ? state.locale : 'vi';
      for (const effect of result.effects) {
        const outcome = await runAction(handlers, effect, { channel: 'console', userId, conversationKey: `console:${userId}`, now: now(), locale });
        queue.push({ type: 'action_result', action: effect.action, ok: outcome.ok, code: outcome.code, data: outcome.data });
      }
    }
    return shown;
  }

  return { send: turn, offered: () => offered };
}

/**
 * The civic actions over in-memory stores and the commune's data files in FLOWS_DIR/data: petitions
 * filed in the terminal get a real code, a due date on working days and an official from the routing.
 */
export async function localActionHandlers(flowsDir: string): Promise<Record<string, ActionHandler>> {
  const { catalogue, cases, desk } = loadCommuneData(flowsDir);
  if (!cases) return createActionHandlers({ catalogue });
  const stores = createMemoryStores();
  await seedOfficials(stores.officials, cases.routing);
  return createActionHandlers({
    catalogue,
    cases: stores.cases,
    officials: stores.officials,
    routing: cases.routing,
    calendar: cases.calendar,
    attempts: new MemoryAttemptLimiter(),
    // The terminal has no job queue: appointments are booked for real, reminders are not planned.
    ...(desk ? { appointments: stores.appointments, desk, reminders: { plan: async () => undefined, remove: async () => undefined }, reminderChannels: {} } : {}),
  });
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const style: ConsoleStyle = argValue('--as') === 'zalo' ? 'zalo' : 'messenger';
  const flowsDir = resolve(argValue('--flows') ?? 'flows');
  let registry: FlowRegistry;
  try {
    registry = loadFlowRegistry(flowsDir);
  } catch (err) {
    const problems = (err as { problems?: { file: string; line?: number; message: string }[] }).problems ?? [];
    console.error(`The flows in ${flowsDir} are not valid:\n${problems.map((p) => `  - ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n') || (err as Error).message}`);
    process.exit(1);
  }
  const session = createChatSession({ registry, t: await createTranslator(LOCALES_DIR), handlers: await localActionHandlers(flowsDir), style });

  const print = (shown: { text: string }[]) => {
    for (const s of shown) console.log(`\n🤖 ${s.text.replace(/\n/g, '\n   ')}`);
    console.log('');
  };
  console.log(`Chatting as a citizen on ${style === 'zalo' ? 'Zalo' : 'Messenger'} (type a number to tap a choice, /quit to leave).`);
  print(await session.send({ type: 'follow' }));

  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '🙂 ' });
  rl.prompt();
  for await (const line of rl) {
    if (line.trim() === '/quit') break;
    const content = parseConsoleLine(line, session.offered(), style);
    if (content) print(await session.send(content));
    rl.prompt();
  }
  rl.close();
}

if (require.main === module) void main();
