/**
 * `npm run chat` — talk to the assistant in a terminal, with the real flows and the real civic
 * actions, shown through the platform's own renderer (what the server would send) as Messenger
 * (default) or Zalo. No platform account, no Redis.
 *
 *   npm run chat                       # as Messenger: quick-reply chips, button templates
 *   npm run chat -- --as zalo          # as Zalo: at most 5 buttons, the other choices listed in the text
 *   npm run chat -- --flows path/to/flows
 *
 * What you type is delivered as typed text, numbers included ("5" means what the server makes of a
 * typed "5"). `/tap N` taps the Nth chip or button shown, delivered as that platform delivers a tap:
 * on Messenger a quick reply (its title as text, with its payload) or a postback; on Zalo a
 * user_send_text whose text is the button's payload. Each gesture goes through the platform's own
 * webhook parser. /follow, /postback PAYLOAD, /image, /sticker, /location lat,lng play the other
 * events; after "gặp cán bộ", /official <text> answers as the official on duty and /official-end
 * ends the conversation with them; /quit leaves.
 */
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { deliverGesture } from '../channels/console/delivery';
import { parseConsoleLine } from '../channels/console/parse';
import { renderForConsole, type ConsolePlatform, type ConsoleScreen, type ConsoleTap } from '../channels/console/render';
import type { InboundContent, InboundEvent } from '../channels/types';
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
import { messagingPolicyFor } from '../channels/policies';
import { useWords } from '../civic/words';

export interface ChatSession {
  /** One line typed in the terminal (words, `/tap N`, a slash command), delivered as the platform would; what the assistant showed, in order. */
  type(line: string): Promise<ConsoleScreen[]>;
  /** Neutral content delivered as it is, past the platform's parser: the opening follow, harnesses. */
  send(content: InboundContent): Promise<ConsoleScreen[]>;
  /** what `/tap 1`, `/tap 2`… tap now: the chips or buttons of the last message that offered some */
  offered(): ConsoleTap[];
  /** the official on duty answers in the open hand-off (`/official <text>`), or ends it (null) */
  official(text: string | null): Promise<ConsoleScreen[]>;
}

/** A conversation run in-process: engine steps, with actions run at once and fed back. */
export function createChatSession(deps: {
  registry: FlowRegistry;
  t: Translator;
  handlers: Record<string, ActionHandler>;
  /** the platform imitated; also the conversation's channel, as on the server (cases and appointments keep it) */
  platform: ConsolePlatform;
  /** hand-offs to an official; without it "gặp cán bộ" answers that it is not open */
  handoff?: TerminalHandoff;
  userId?: string;
  now?: () => number;
}): ChatSession {
  const { registry, t, platform, handlers, handoff, userId = 'console-user', now = Date.now } = deps;
  // the civic texts (hand-offs, case and appointment status…) speak through the same translator
  useWords(t);
  const channel = platform;
  const plain = (lines: string[]): ConsoleScreen[] => lines.map((text) => ({ text, taps: [] }));
  let state: JsonObject | null = null;
  let offered: ConsoleTap[] = [];
  let seq = 0;

  async function turn(first: InboundEvent): Promise<ConsoleScreen[]> {
    const shown: ConsoleScreen[] = [];
    const content = first.content;
    // While a hand-off is open the assistant is paused: the official gets the words.
    if (handoff && (content.type === 'text' || content.type === 'postback')) {
      const text = content.type === 'text' ? content.text : content.title;
      const during = await handoff.citizenWrote(channel, userId, first.id, first.timestamp, text ?? '', content.payload);
      if (during) return plain(during);
    }
    const queue: InboundEvent[] = [first];
    // Actions answer at once here; a bound stops a flow that would call actions forever.
    for (let guard = 0; queue.length > 0 && guard < 20; guard++) {
      const event = queue.shift()!;
      const result = step(registry, state, event, { now: event.timestamp, t });
      if (result.kind === 'rejected') continue;
      state = result.state;
      for (const reply of result.replies) {
        for (const screen of renderForConsole(reply, platform, userId)) {
          shown.push(screen);
          if (screen.taps.length > 0) offered = screen.taps;
        }
      }
      const locale = typeof state.locale === 'string' ? state.locale : 'vi';
      for (const effect of result.effects) {
        const outcome = await runAction(handlers, effect, { channel, userId, conversationKey: `${channel}:${userId}`, now: now(), locale });
        queue.push(neutral({ type: 'action_result', action: effect.action, ok: outcome.ok, code: outcome.code, data: outcome.data }));
        if (handoff) shown.push(...plain(handoff.drain()));
      }
    }
    return shown;
  }

  function neutral(content: InboundContent): InboundEvent {
    return { id: `console-${++seq}`, channel, userId, timestamp: now(), content };
  }

  return {
    async type(line) {
      const gesture = parseConsoleLine(line, offered);
      if (gesture === null) return [];
      if (gesture.kind === 'no_such_tap') {
        const range = offered.length > 0 ? `1 to ${offered.length}` : 'nothing is offered now';
        return plain([`(no choice ${Number.isNaN(gesture.n) ? 'given' : gesture.n} to tap: /tap N, N from ${range})`]);
      }
      const delivered = deliverGesture(gesture, platform, { userId, at: now(), seq: ++seq });
      if ('ignored' in delivered) return plain([`(${platform} would not deliver this: ${delivered.ignored})`]);
      return turn(delivered);
    },
    send: (content) => turn(neutral(content)),
    offered: () => offered,
    async official(text) {
      if (!handoff) return plain(['(talking to an official is not open here)']);
      return plain(text === null ? await handoff.officialEnds(channel, userId) : await handoff.officialSays(channel, userId, text));
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
  const { catalogue, cases, desk, texts } = loadCommuneData(flowsDir);
  const stores = createMemoryStores();
  if (!cases) return { handlers: createActionHandlers({ catalogue, communeTexts: texts }), stores };
  await seedOfficials(stores.officials, cases.routing);
  const handoff = createTerminalHandoff({ stores, routing: cases.routing, calendar: cases.calendar, now });
  const handlers = createActionHandlers({
    catalogue,
    communeTexts: texts,
    cases: stores.cases,
    officials: stores.officials,
    routing: cases.routing,
    calendar: cases.calendar,
    attempts: new MemoryAttemptLimiter(),
    // The terminal has no job queue: appointments are booked for real, reminders are not planned.
    ...(desk ? { appointments: stores.appointments, desk, reminders: { plan: async () => undefined, remove: async () => undefined }, reminderChannels: {}, messaging: messagingPolicyFor } : {}),
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
  const platform: ConsolePlatform = argValue('--as') === 'zalo' ? 'zalo' : 'messenger';
  const flowsDir = resolve(argValue('--flows') ?? 'flows');
  let registry: FlowRegistry;
  try {
    registry = loadFlowRegistry(flowsDir).withCommune(loadCommuneData(flowsDir).texts);
  } catch (err) {
    const problems = (err as { problems?: { file: string; line?: number; message: string }[] }).problems ?? [];
    console.error(`The flows in ${flowsDir} are not valid:\n${problems.map((p) => `  - ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n') || (err as Error).message}`);
    process.exit(1);
  }
  const { handlers, handoff } = await localCivic(flowsDir);
  const session = createChatSession({ registry, t: await createTranslator(LOCALES_DIR), handlers, handoff, platform });

  const print = (shown: { text: string }[]) => {
    // What the officials receive is shown apart from what the citizen sees.
    for (const s of shown) console.log(`\n${s.text.startsWith('[→ ') ? '📨' : '🤖'} ${s.text.replace(/\n/g, '\n   ')}`);
    console.log('');
  };
  console.log(`Chatting as a citizen on ${platform === 'zalo' ? 'Zalo' : 'Messenger'} (/tap N taps the Nth choice shown, /quit to leave).`);
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
    if (line.trim() !== '') print(await session.type(line));
    rl.prompt();
  }
  rl.close();
}

if (require.main === module) void main();
