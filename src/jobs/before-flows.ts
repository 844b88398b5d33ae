/**
 * What a conversation turn asks before the flows see a message: the port the message path declares
 * and civic-jobs.ts builds (jobs/staff-chat.ts), so the turn never calls back into the wiring.
 */
import type { Choice, InboundEvent, OutboundMessage } from '../channels/types';

/** A notice that waited for the person's next message: its words, and its buttons if it has any. */
export interface PendingMessage {
  text: string;
  choices?: Choice[];
}

export interface BeforeFlows {
  /**
   * Messages handled before the flows (an official's commands, account linking, a citizen's
   * message while their hand-off to an official is open): replies to send instead of the engine's
   * (none at all is fine), or null to let the engine handle the message. Called for what a person
   * sent (not for action results, follows or unfollows), with its arrival time.
   */
  intercept(event: InboundEvent, receivedAt: number): Promise<{ replies: OutboundMessage[] } | null>;
  /** notices that waited for this person's next message (a closed window): sent first in this turn */
  takePending(channel: string, userId: string): Promise<PendingMessage[]>;
  /** a person of the Page answered this citizen from the Page Inbox (an open hand-off is handed to them); idempotent */
  onPageReply(event: InboundEvent, receivedAt: number): Promise<void>;
}

/** Nothing before the flows: no officials, no hand-offs, no waiting notices (tests, the echo bench). */
export const NOTHING_BEFORE_FLOWS: BeforeFlows = {
  intercept: async () => null,
  takePending: async () => [],
  onPageReply: async () => undefined,
};
