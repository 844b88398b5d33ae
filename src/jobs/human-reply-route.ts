/**
 * Which way an official's own words may reach a citizen now (invariant 9, platforms/*.md). Unlike a
 * status notice (notice-route.ts), a human reply may use Messenger's HUMAN_AGENT tag: up to 7 days
 * after the person's last message, only for words a person typed, only where the Page has the Human
 * Agent feature (MESSENGER_HUMAN_AGENT). Zalo: free 48 h, then billed up to 7 days where the commune
 * allows it (NoticeSettings.zaloBilledWindow). Otherwise the words wait for the person's next message.
 */
import { insideFreeWindow } from './messaging-window';
import { ZALO_BILLED_WINDOW_MS, type NoticeSettings } from './notice-route';

/** Messenger's Human Agent tag allows replies up to 7 days after the person's last message. */
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 3600_000;

export interface HumanReplySettings extends Pick<NoticeSettings, 'zaloBilledWindow'> {
  /** the Page has the Human Agent feature; default false */
  messengerHumanAgent?: boolean;
}

export type HumanReplyRoute =
  /** `response`: inside the free window; `human`: Messenger HUMAN_AGENT tag */
  | { via: 'message'; purpose: 'response' | 'human'; billed: boolean }
  | { via: 'pending'; reason: 'window_closed' };

/** The route for an official's words (pure). */
export function chooseHumanReplyRoute(input: { channel: string; lastInboundAt: number | null; now: number; settings: HumanReplySettings }): HumanReplyRoute {
  const { channel, lastInboundAt, now, settings } = input;
  if (insideFreeWindow(channel, lastInboundAt, now)) return { via: 'message', purpose: 'response', billed: false };
  const within = (ms: number) => lastInboundAt !== null && now - lastInboundAt < ms;
  if (channel === 'messenger' && settings.messengerHumanAgent && within(HUMAN_AGENT_WINDOW_MS)) return { via: 'message', purpose: 'human', billed: false };
  if (channel === 'zalo' && settings.zaloBilledWindow && within(ZALO_BILLED_WINDOW_MS)) return { via: 'message', purpose: 'response', billed: true };
  return { via: 'pending', reason: 'window_closed' };
}
