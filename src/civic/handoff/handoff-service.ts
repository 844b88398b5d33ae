/**
 * Hand-off to a person ("gặp cán bộ"): open it for a conversation (the bot then stays silent there),
 * let an official take it, relay what each side writes, end it. The delivery itself — notices to
 * officials, officials' words to the citizen within the platform's windows, the quiet-time and
 * take-within jobs — is the job layer's, behind `HandoffRelay`.
 */
import { AppError } from '../../shared/app-error';
import type { Handoff, HandoffEndReason, HandoffMessage, HandoffStore } from '../../store/ports/handoffs';
import type { Official, OfficialStore } from '../../store/ports/officials';
import type { Calendar } from '../calendar/calendar';
import { isCaseCategoryId } from '../cases/categories';
import { routeCase } from '../officials/route-case';
import { findVillage, type RoutingRules } from '../officials/routing-rules';
import { CITIZEN_TEXT, localeOfTag } from './handoff-text';
import { nextOfficeOpening } from './office-minutes';

/** What the job layer does when a hand-off moves. Every method is idempotent (job ids from the hand-off and message). */
export interface HandoffRelay {
  /** tells the officials in `notifiedIds` with the recent transcript; plans the take-within fallback */
  opened(h: Handoff, recent: string[]): Promise<void>;
  /** delivers a recorded message to the other side (citizen → the official who took it; official → citizen) and re-plans the quiet end */
  relay(h: Handoff, m: HandoffMessage): Promise<void>;
  /** whether an official's words can reach the citizen now, within what the platform allows for human replies */
  canReachCitizenNow(h: Handoff): Promise<boolean>;
  /** tells the citizen who answers and plans the quiet end */
  taken(h: Handoff): Promise<void>;
  /** tells the citizen the bot answers again (unless they ended it themselves) and the official who held it (all those told of it, when nobody took it) */
  ended(h: Handoff, tell: { citizen: boolean; official: boolean }): Promise<void>;
}

export interface HandoffServiceDeps {
  handoffs: HandoffStore;
  officials: OfficialStore;
  /** routing.yaml: who is told (the on-duty official, or the one for the category × village); without it hand-offs are not open */
  routing?: RoutingRules;
  /** office hours: telling the citizen when to expect an answer */
  calendar?: Calendar;
  /** the conversation's last lines ("Dân: …", "Bot: …"), oldest first */
  recentLines(channel: string, userId: string): Promise<string[]>;
  relay: HandoffRelay;
  now(): number;
}

/** Who ends a hand-off. A supervisor (chair, vice chair) or the admin console may end one they do not hold. */
export type HandoffEnder = { official: Official } | { admin: true } | { citizen: true } | { quiet: true };

export type HandoffService = ReturnType<typeof createHandoffService>;

const SUPERVISOR_ROLES = new Set(['chair', 'vice_chair']);

export function createHandoffService(deps: HandoffServiceDeps) {
  const { handoffs, officials, relay, now } = deps;

  async function found(idOrCode: string): Promise<Handoff> {
    const h = (await handoffs.findByCode(idOrCode)) ?? (await handoffs.get(idOrCode));
    if (!h) throw new AppError('HANDOFF_NOT_FOUND', `no hand-off ${idOrCode}`);
    return h;
  }

  return {
    found,

    /** Opens a hand-off (or finds the open one); the action `handoff.request` answers with its code and when to expect a reply. */
    async request(input: { channel: string; userId: string; topic: string; category?: string; village?: string; locale?: string }) {
      if (!deps.routing) throw new AppError('NOT_FOUND', 'hand-offs need the routing rules');
      const at = now();
      const roster = await officials.list();
      const village = input.village ? (findVillage(deps.routing, input.village) ?? input.village) : undefined;
      const category = input.category && isCaseCategoryId(input.category) ? input.category : undefined;
      const route = routeCase(deps.routing, roster, { category: category ?? 'other', village: village ?? '' });
      const notifiedIds = route ? [route.assigneeId, ...(route.backupId && route.backupId !== route.assigneeId ? [route.backupId] : [])] : [];
      const { created, handoff } = await handoffs.open({
        channel: input.channel,
        userId: input.userId,
        topic: input.topic.trim(),
        notifiedIds,
        createdAt: at,
        ...(category ? { category } : {}),
        ...(village ? { village } : {}),
        ...(input.locale ? { locale: input.locale } : {}),
      });
      // Also when it was open already: a retried action after a crash still tells the officials (same job ids).
      if (handoff.status === 'waiting') await relay.opened(handoff, created ? await deps.recentLines(input.channel, input.userId) : []);
      const opensAt = deps.calendar ? nextOfficeOpening(deps.calendar, at) : null;
      return { handoff, created, expect: CITIZEN_TEXT.expect(opensAt, at, localeOfTag(input.locale)) };
    },

    /** The official takes a waiting hand-off; their own active one again is fine. */
    async take(idOrCode: string, official: Official): Promise<Handoff> {
      const h = await found(idOrCode);
      const result = await handoffs.take(h.id, official.id, now());
      if (!result.ok) {
        if (result.reason === 'taken') throw new AppError('HANDOFF_TAKEN', `${h.code} is held by ${result.handoff?.officialId ?? 'another official'}`, { code: h.code, officialId: result.handoff?.officialId });
        if (result.reason === 'ended') throw new AppError('HANDOFF_ENDED', `${h.code} has ended`, { code: h.code });
        throw new AppError('HANDOFF_NOT_FOUND', `no hand-off ${idOrCode}`);
      }
      if (h.status === 'waiting') await relay.taken(result.handoff);
      return result.handoff;
    },

    /**
     * Relays an official's words to the citizen. Only the official who took it (or the console,
     * writing as them) may reply. `kept`: the platform's window is closed, so the words wait for
     * the citizen's next message.
     */
    async reply(idOrCode: string, by: { official: Official } | { admin: true }, text: string, messageId: string): Promise<{ handoff: Handoff; delivered: 'now' | 'kept' }> {
      const h = await found(idOrCode);
      if (h.status === 'ended') throw new AppError('HANDOFF_ENDED', `${h.code} has ended`, { code: h.code });
      if (h.status === 'waiting' || !h.officialId) throw new AppError('HANDOFF_NOT_TAKEN', `${h.code} is not taken yet`, { code: h.code });
      if ('official' in by && by.official.id !== h.officialId) throw new AppError('HANDOFF_NOT_YOURS', `${h.code} is held by another official`, { code: h.code });
      const clean = text.normalize('NFC').trim();
      if (clean === '') throw new AppError('VALIDATION_FAILED', 'empty reply');
      const message: HandoffMessage = { id: messageId, at: now(), from: 'official', officialId: h.officialId, text: clean };
      const updated = await handoffs.addMessage(h.id, message);
      if (!updated) throw new AppError('HANDOFF_ENDED', `${h.code} has ended`, { code: h.code });
      const delivered = (await relay.canReachCitizenNow(updated)) ? 'now' : 'kept';
      await relay.relay(updated, message);
      return { handoff: updated, delivered };
    },

    /** Ends an open hand-off; the bot answers the citizen again. */
    async end(idOrCode: string, by: HandoffEnder): Promise<Handoff> {
      const h = await found(idOrCode);
      if (h.status === 'ended') throw new AppError('HANDOFF_ENDED', `${h.code} has ended`, { code: h.code });
      if ('official' in by && h.officialId !== by.official.id && !SUPERVISOR_ROLES.has(by.official.role)) {
        throw new AppError(h.status === 'waiting' ? 'HANDOFF_NOT_TAKEN' : 'HANDOFF_NOT_YOURS', `${h.code} is not held by this official`, { code: h.code });
      }
      const reason: HandoffEndReason = 'citizen' in by ? 'citizen' : 'quiet' in by ? 'quiet' : 'official';
      const ended = await handoffs.end(h.id, { reason, at: now() });
      if (!ended) throw new AppError('HANDOFF_ENDED', `${h.code} has ended`, { code: h.code });
      await relay.ended(ended, { citizen: !('citizen' in by), official: ended.officialId !== undefined && !('official' in by && by.official.id === ended.officialId) });
      return ended;
    },

    /** Records the citizen's message of an open hand-off and passes it to the official who took it (kept until one does). */
    async citizenWrote(h: Handoff, message: { id: string; at: number; text: string }): Promise<Handoff | null> {
      const m: HandoffMessage = { id: message.id, at: message.at, from: 'citizen', text: message.text };
      const updated = await handoffs.addMessage(h.id, m);
      if (updated?.status === 'active') await relay.relay(updated, m);
      return updated;
    },

    /**
     * A person of the Page answered the citizen directly in the Messenger Page Inbox: whoever writes
     * there has the conversation, so the open hand-off (waiting or taken) ends as `page_inbox`. The
     * officials who were told of it (or the one who took it) learn it, so nobody answers twice and no
     * petition is filed for a request somebody answered; the citizen is told nothing (a person is
     * talking with them, and the bot stays silent for the quiet time). Null when none was open.
     */
    async answeredFromPageInbox(channel: string, userId: string): Promise<Handoff | null> {
      const h = await handoffs.findOpen(channel, userId);
      if (!h) return null;
      const ended = await handoffs.end(h.id, { reason: 'page_inbox', at: now() });
      if (ended) await relay.ended(ended, { citizen: false, official: true });
      return ended;
    },

    /** The hand-offs an official holds now. */
    async heldBy(officialId: string): Promise<Handoff[]> {
      return (await handoffs.listOpen()).filter((h) => h.status === 'active' && h.officialId === officialId);
    },
  };
}
