/**
 * What Messenger permits (platforms/messenger.md): a plain message within 24 hours of the person's
 * last message; after that a status notice only as an approved Utility template, and an official's
 * own words with the HUMAN_AGENT tag up to 7 days, where the Page has the Human Agent feature. The
 * old update tags are refused by Meta since 2026-04-27, and HUMAN_AGENT is never used for a notice.
 */
import { within, type MessagingPolicy } from '../../shared/messaging-policy';

const HOUR = 3600_000;
export const MESSENGER_FREE_WINDOW_MS = 24 * HOUR;
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR;

export const messengerPolicy: MessagingPolicy = {
  displayName: 'Messenger',
  freeWindowMs: MESSENGER_FREE_WINDOW_MS,
  insideFreeWindow: (lastInboundAt, now) => within(lastInboundAt, now, MESSENGER_FREE_WINDOW_MS),
  noticeRoute({ lastInboundAt, now, settings, canSendTemplates }) {
    if (within(lastInboundAt, now, MESSENGER_FREE_WINDOW_MS)) return { via: 'message', billed: false };
    if (!settings.messengerUtilityTemplate) return { via: 'pending', reason: 'window_closed' };
    if (!canSendTemplates) return { via: 'pending', reason: 'template_sender_missing' };
    return { via: 'messenger_utility', template: settings.messengerUtilityTemplate };
  },
  humanReplyRoute({ lastInboundAt, now, settings }) {
    if (within(lastInboundAt, now, MESSENGER_FREE_WINDOW_MS)) return { via: 'message', purpose: 'response', billed: false };
    if (settings.messengerHumanAgent && within(lastInboundAt, now, HUMAN_AGENT_WINDOW_MS)) return { via: 'message', purpose: 'human', billed: false };
    return { via: 'pending', reason: 'window_closed' };
  },
};
