/**
 * The steps a turn takes before the flows (the BeforeFlows port), for a commune with officials:
 * an official's own chat (LIENKET, HOSO, NHAN, GHICHU, XONG, GIAO, TRACUU; NHANHT, TL, KT for
 * hand-offs; HENTRA, DOIHEN… for result dates), then a citizen with an open hand-off talking to the
 * official; the notices that waited for the person's next message; and a reply from the Messenger
 * Page Inbox ending the hand-off it answers.
 */
import type { CaseOutcome } from '../civic/cases';
import { handleCitizenDuringHandoff, handleHandoffCommand, relayOfficialPlainText, type HandoffChatDeps, type HandoffChatMessage } from '../civic/handoff/handoff-chat';
import type { HandoffService } from '../civic/handoff/handoff-service';
import { handoffCommandList } from '../civic/handoff/handoff-text';
import { handleOfficialMessage, type OfficialChatDeps } from '../civic/officials/chat-commands';
import type { Logger } from '../shared/logger';
import type { Stores } from '../store/ports';
import type { BeforeFlows } from './before-flows';
import type { CaseJobs } from './case-jobs';
import { describeInbound } from './conversation-turn';

export function createStaffChat(deps: {
  stores: Pick<Stores, 'officials' | 'cases' | 'handoffs'>;
  caseJobs: CaseJobs;
  /** without it, no hand-off commands or relays */
  handoffService: HandoffService | null;
  resultDates?: OfficialChatDeps['resultDates'];
  now: () => number;
  log: Logger;
}): BeforeFlows {
  const { stores, caseJobs, handoffService, resultDates, now, log } = deps;
  const handoffChat: HandoffChatDeps | null = handoffService ? { service: handoffService, handoffs: stores.handoffs, officials: stores.officials } : null;
  const officialDeps: OfficialChatDeps = {
    officials: stores.officials,
    cases: stores.cases,
    now,
    onCaseChange: (outcome: CaseOutcome) => caseJobs.afterCaseChange(outcome),
    ...(resultDates ? { resultDates } : {}),
    ...(handoffChat ? { moreHelp: handoffCommandList() } : {}),
  };

  return {
    async intercept(event, receivedAt) {
      const c = event.content;
      const msg =
        c.type === 'text'
          ? { channel: event.channel, userId: event.userId, text: c.text, payload: c.payload }
          : c.type === 'postback'
            ? { channel: event.channel, userId: event.userId, text: c.title, payload: c.payload }
            : null;
      const chat: HandoffChatMessage = { channel: event.channel, userId: event.userId, eventId: event.id, at: receivedAt, text: describeInbound(event), ...(msg?.payload ? { payload: msg.payload } : {}) };
      if (handoffChat && msg) {
        const command = await handleHandoffCommand(handoffChat, chat);
        if (command) return command;
      }
      const official = msg ? await handleOfficialMessage(officialDeps, msg) : null;
      if (official) return official;
      if (!handoffChat) return null;
      return (msg ? await relayOfficialPlainText(handoffChat, chat) : null) ?? (await handleCitizenDuringHandoff(handoffChat, chat));
    },
    takePending: async (channel, userId) => (await caseJobs.pending.take(channel, userId)).map((n) => ({ text: n.text, ...(n.choices ? { choices: n.choices } : {}) })),
    async onPageReply(event) {
      // Commune staff answered the citizen in the Page Inbox: an open hand-off is theirs now.
      const ended = await handoffService?.answeredFromPageInbox(event.channel, event.userId);
      if (ended) log.info({ handoff: ended.code }, 'hand-off ended: answered from the Page Inbox');
    },
  };
}
