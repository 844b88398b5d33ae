/**
 * `npm run chat` — talk to the assistant in a terminal, with the real flows and the real civic
 * actions, rendered as Messenger (default) or Zalo would show them. No platform account, no Redis.
 *
 *   npm run chat                       # as Messenger
 *   npm run chat -- --as zalo          # as Zalo (choices as stacked buttons, taps as postbacks)
 *   npm run chat -- --flows path/to/flows
 *
 * Type a number to tap a choice; /follow, /postback PAYLOAD, /image, /sticker, /location lat,lng
 * play the other events; after "gặp cán bộ", /official <text> answers as the official on duty and
 * /official-end ends the conversation with them; /quit leaves.
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
import { createTerminalHandoff, type TerminalHandoff } from './terminal-handoff';

export interface ChatSession {
  /** Sends what the person did; resolves with what the assistant showed, in order. */
  send(content: InboundContent): Promise<{ text: string; offered: Choice[] }[]>;
  offered(): Choice[];
  /** the official on duty answers in the open hand-off (`/official <text>`), or ends it (null) */
  official(text: string | null): Promise<{ text: string; offered: Choice[] }[]>;
}

/** A conversation run in-process: engine steps, with actions run at once and fed back. */
export function createChatSession(deps: {
  registry: FlowRegistry;
  t: Translator;
  handlers: Record<string, ActionHandler>;
  style: ConsoleStyle;
  /** hand-offs to an official; without it "gặp cán bộ" answers that it is not open */
  handoff?: TerminalHandoff;
  userId?: string;
  now?: () => number;
}): ChatSession {
  const { registry, t, style, handlers, handoff, userId = 'console-user', now = Date.now } = deps;
  const plain = (lines: string[]) => lines.map((text) => ({ text, offered: [] as Choice[] }));
  let state: JsonObject | null = null;
  let offered: Choice[] = [];
  let seq = 0;

  async function turn(content: InboundContent) {
    const shown: { text: string; offered: Choice[] }[] = [];
    // While a hand-off is open the assistant is paused: the official gets the words.
    if (handoff && (content.type === 'text' || content.type === 'postback')) {
      const text = content.type === 'text' ? content.text : content.title;
      const payload = content.type === 'text' ? content.payload : content.payload;
      const during = await handoff.citizenWrote('console', userId, `console-${++seq}`, now(), text ?? '', payload);
      if (during) return plain(during);
    }
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
        if (handoff) shown.push(...plain(handoff.drain()));
      }
    }
    return shown;
  }

  return {
    send: turn,
    offered: () => offered,
    async official(text) {
      if (!handoff) return plain(['(talking to an official is not open here)']);
      return plain(text === null ? await handoff.officialEnds('console', userId) : await handoff.officialSays('console', userId, text));
    },
  };
}

/**
 * The civic actions over in-memory stores and the commune's data files in FLOWS_DIR/data: petitions
 * filed in the terminal get a real code, a due date on working days and an official from the routing.
 */
export async function localActionHandlers(flowsDir: string): Promise<Record<string, ActionHandler>> {
  return (await localCivic(flowsDir)).handlers;
}

/** The civic actions and, when the routing rules are there, hand-offs played in the terminal. */
export async function localCivic(
  flowsDir: string,
  now: () => number = Date.now,
): Promise<{ handlers: Record<string, ActionHandler>; handoff?: TerminalHandoff; stores: ReturnType<typeof createMemoryStores> }> {
  const { catalogue, cases, desk } = loadCommuneData(flowsDir);
  const stores = createMemoryStores();
  if (!cases) return { handlers: createActionHandlers({ catalogue }), stores };
  await seedOfficials(stores.officials, cases.routing);
  const handoff = createTerminalHandoff({ stores, routing: cases.routing, calendar: cases.calendar, now });
  const handlers = createActionHandlers({
    catalogue,
    cases: stores.cases,
    officials: stores.officials,
    routing: cases.routing,
    calendar: cases.calendar,
    attempts: new MemoryAttemptLimiter(),
    // The terminal has no job queue: appointments are booked for real, reminders are not planned.
    ...(desk ? { appointments: stores.appointments, desk, reminders: { plan: async () => undefined, remove: async () => undefined }, reminderChannels: {} } : {}),
    handoff: handoff.service,
    handoffs: stores.handoffs,
  });
  return { handlers, handoff, stores };
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
  const { handlers, handoff } = await localCivic(flowsDir);
  const session = createChatSession({ registry, t: await createTranslator(LOCALES_DIR), handlers, handoff, style });

  const print = (shown: { text: string }[]) => {
    // What the officials receive is shown apart from what the citizen sees.
    for (const s of shown) console.log(`\n${s.text.startsWith('[→ ') ? '📨' : '🤖'} ${s.text.replace(/\n/g, '\n   ')}`);
    console.log('');
  };
  console.log(`Chatting as a citizen on ${style === 'zalo' ? 'Zalo' : 'Messenger'} (type a number to tap a choice, /quit to leave).`);
  print(await session.send({ type: 'follow' }));

  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '🙂 ' });
  rl.prompt();
  for await (const line of rl) {
    if (line.trim() === '/quit') break;
    const official = /^\/official(-end)?(?:\s+(.*))?$/.exec(line.trim());
    if (official) {
      print(await session.official(official[1] ? null : (official[2] ?? '')));
      rl.prompt();
      continue;
    }
    const content = parseConsoleLine(line, session.offered(), style);
    if (content) print(await session.send(content));
    rl.prompt();
  }
  rl.close();
}

if (require.main === module) void main();
