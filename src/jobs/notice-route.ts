/**
 * Which way a notice may reach a person now (invariant 9, platforms/*.md): a plain message inside
 * the free window; outside it only what the platform permits for a status update, where configured;
 * otherwise it waits for the person's next message.
 */
import { insideFreeWindow } from './messaging-window';

const DAY = 24 * 3600_000;

/** Zalo bills consultation messages from 48 h up to 7 days after the person's last interaction. */
export const ZALO_BILLED_WINDOW_MS = 7 * DAY;

/** The commune's choices for notices outside the free windows; every field off by default. */
export interface NoticeSettings {
  /** name of an approved Messenger Utility template (category UTILITY, language vi); unset: none */
  messengerUtilityTemplate?: string;
  /** send Zalo consultation messages billed between 48 h and 7 days; default false */
  zaloBilledWindow?: boolean;
  /** id of an approved Zalo ZNS template (sent to the person's phone); unset: none */
  zaloZnsTemplateId?: string;
}

export type NoticeRoute =
  /** a normal message: free, or (Zalo, billed) inside 7 days */
  | { via: 'message'; billed: boolean }
  | { via: 'messenger_utility'; template: string }
  | { via: 'zalo_zns'; templateId: string; phone: string }
  | { via: 'pending'; reason: PendingReason };

export type PendingReason =
  /** outside the window and nothing else configured */
  | 'window_closed'
  /** a template is configured but this process has no way to send templates yet */
  | 'template_sender_missing'
  /** ZNS is configured but the person gave no phone number */
  | 'no_phone'
  /** the official has no linked chat account */
  | 'no_linked_account';

/**
 * The route for one notice (pure). A status update never uses HUMAN_AGENT: that tag is for words an
 * official typed, and the old update tags are refused by Meta since 2026-04-27.
 */
export function chooseNoticeRoute(input: {
  channel: string;
  lastInboundAt: number | null;
  now: number;
  settings: NoticeSettings;
  /** whether a TemplateSender is wired */
  canSendTemplates: boolean;
  /** the person's phone (E.164), for ZNS */
  phone?: string;
}): NoticeRoute {
  const { channel, lastInboundAt, now, settings, canSendTemplates, phone } = input;
  if (insideFreeWindow(channel, lastInboundAt, now)) return { via: 'message', billed: false };
  if (channel === 'messenger') {
    if (!settings.messengerUtilityTemplate) return { via: 'pending', reason: 'window_closed' };
    if (!canSendTemplates) return { via: 'pending', reason: 'template_sender_missing' };
    return { via: 'messenger_utility', template: settings.messengerUtilityTemplate };
  }
  if (channel === 'zalo') {
    if (settings.zaloBilledWindow && lastInboundAt !== null && now - lastInboundAt < ZALO_BILLED_WINDOW_MS) return { via: 'message', billed: true };
    if (!settings.zaloZnsTemplateId) return { via: 'pending', reason: 'window_closed' };
    if (!phone) return { via: 'pending', reason: 'no_phone' };
    if (!canSendTemplates) return { via: 'pending', reason: 'template_sender_missing' };
    return { via: 'zalo_zns', templateId: settings.zaloZnsTemplateId, phone };
  }
  return { via: 'pending', reason: 'window_closed' };
}
