/**
 * Hand-offs to an official in the terminal chat: the real hand-off service over in-memory stores,
 * with a relay that shows, in the terminal, what the officials receive and what they answer.
 * `/official <text>` plays the official on duty (takes the hand-off if nobody has, then answers),
 * `/official-end` ends it. No job queue: nothing ends by itself after the quiet time, and no
 * petition is opened when nobody answers (the server does both).
 */
import type { Calendar } from '../civic/calendar/calendar';
import { handleCitizenDuringHandoff, type HandoffChatDeps } from '../civic/handoff/handoff-chat';
import { createHandoffService, type HandoffRelay, type HandoffService } from '../civic/handoff/handoff-service';
import { CITIZEN_TEXT, OFFICIAL_TEXT, localeOfTag } from '../civic/handoff/handoff-text';
import type { RoutingRules } from '../civic/officials/routing-rules';
import type { Stores } from '../store/ports';

export interface TerminalHandoff {
  service: HandoffService;
  /** what the citizen sees while a hand-off is open (null: the flows answer) */
  citizenWrote(channel: string, userId: string, eventId: string, at: number, text: string, payload?: string): Promise<string[] | null>;
  /** the official on duty answers the citizen's open hand-off; what the terminal shows */
  officialSays(channel: string, userId: string, text: string): Promise<string[]>;
  /** the official ends it */
  officialEnds(channel: string, userId: string): Promise<string[]>;
  /** lines the relay produced since the last call, in order */
  drain(): string[];
}

export function createTerminalHandoff(deps: { stores: Pick<Stores, 'handoffs' | 'officials'>; routing: RoutingRules; calendar: Calendar; now: () => number }): TerminalHandoff {
  const { stores, now } = deps;
  let shown: string[] = [];
  const officialName = async (id: string | undefined) => (id ? ((await stores.officials.get(id))?.name ?? id) : '');

  const relay: HandoffRelay = {
    async opened(h, recent) {
      for (const id of h.notifiedIds) shown.push(`[→ ${await officialName(id)}] ${OFFICIAL_TEXT.request(h, recent)}`);
    },
    async relay(h, m) {
      if (m.from === 'citizen') {
        if (h.officialId) shown.push(`[→ ${await officialName(h.officialId)}] ${OFFICIAL_TEXT.citizenWrote(h, m)}`);
      } else shown.push(CITIZEN_TEXT.fromOfficial(await officialName(m.officialId), m.text));
    },
    canReachCitizenNow: async () => true,
    async taken(h) {
      shown.push(CITIZEN_TEXT.taken(await officialName(h.officialId), localeOfTag(h.locale)));
    },
    async ended(h, tell) {
      if (tell.citizen) shown.push(CITIZEN_TEXT.ended(h.endReason, localeOfTag(h.locale)));
    },
  };

  const service = createHandoffService({
    handoffs: stores.handoffs,
    officials: stores.officials,
    routing: deps.routing,
    calendar: deps.calendar,
    recentLines: async () => [],
    relay,
    now,
  });
  const chat: HandoffChatDeps = { service, handoffs: stores.handoffs, officials: stores.officials };

  async function openOne(channel: string, userId: string) {
    const h = await stores.handoffs.findOpen(channel, userId);
    if (!h) return null;
    const officialId = h.officialId ?? h.notifiedIds[0];
    const official = officialId ? await stores.officials.get(officialId) : null;
    return official ? { h, official } : null;
  }

  let replies = 0;
  return {
    service,
    async citizenWrote(channel, userId, eventId, at, text, payload) {
      const r = await handleCitizenDuringHandoff(chat, { channel, userId, eventId, at, text, ...(payload ? { payload } : {}) });
      return r ? [...this.drain(), ...r.replies.map((x) => x.text)] : null;
    },
    async officialSays(channel, userId, text) {
      const open = await openOne(channel, userId);
      if (!open) return ['(no conversation with an official is open: type "gặp cán bộ" first)'];
      if (open.h.status === 'waiting') await service.take(open.h.code, open.official);
      await service.reply(open.h.code, { official: open.official }, text, `terminal-official-${++replies}`);
      return this.drain();
    },
    async officialEnds(channel, userId) {
      const open = await openOne(channel, userId);
      if (!open) return ['(no conversation with an official is open)'];
      await service.end(open.h.code, { official: open.official });
      return this.drain();
    },
    drain() {
      const out = shown;
      shown = [];
      return out;
    },
  };
}
