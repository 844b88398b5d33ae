/**
 * The port through which the rest of the server asks a platform what it permits: when a plain
 * message may go out, how a status notice or an official's own words can still reach a person
 * outside the free window. Each platform answers for itself in channels/<platform>/policy.ts, the
 * only places that know the windows (platforms/*.md); main.ts hands the policies to jobs/ and civic/.
 */

/** The commune's choices for notices outside the free windows; every field off by default. */
export interface NoticeSettings {
  /** name of an approved Messenger Utility template (category UTILITY, language vi); unset: none */
  messengerUtilityTemplate?: string;
  /** send Zalo consultation messages billed after the free window, up to the platform's limit; default false */
  zaloBilledWindow?: boolean;
  /** id of an approved Zalo ZNS template (sent to the person's phone); unset: none */
  zaloZnsTemplateId?: string;
}

/** The commune's choices for an official's own words outside the free window. */
export interface HumanReplySettings extends Pick<NoticeSettings, 'zaloBilledWindow'> {
  /** the Messenger Page has the Human Agent feature; default false */
  messengerHumanAgent?: boolean;
}

export type PendingReason =
  /** outside the window and nothing else configured */
  | 'window_closed'
  /** a template is configured but this process has no way to send templates yet */
  | 'template_sender_missing'
  /** ZNS is configured but the person gave no phone number */
  | 'no_phone'
  /** the official has no linked chat account */
  | 'no_linked_account';

export type NoticeRoute =
  /** a normal message: free, or billed where the platform bills and the commune allows it */
  | { via: 'message'; billed: boolean }
  | { via: 'messenger_utility'; template: string }
  | { via: 'zalo_zns'; templateId: string; phone: string }
  | { via: 'pending'; reason: PendingReason };

export type HumanReplyRoute =
  /** `response`: inside the free window (or billed); `human`: Messenger's HUMAN_AGENT tag */
  | { via: 'message'; purpose: 'response' | 'human'; billed: boolean }
  | { via: 'pending'; reason: 'window_closed' };

export interface NoticeQuestion {
  lastInboundAt: number | null;
  now: number;
  settings: NoticeSettings;
  /** whether a TemplateSender is wired in this process */
  canSendTemplates: boolean;
  /** the person's phone (E.164), for a template sent to a phone */
  phone?: string;
}

export interface MessagingPolicy {
  /** the platform as citizens name it ("Zalo", "Messenger"); the console's is "" */
  readonly displayName: string;
  /** how long after the person's last message a plain message is free; null: no window */
  readonly freeWindowMs: number | null;
  /** True when a reply may go out now as a normal response. */
  insideFreeWindow(lastInboundAt: number | null, now: number): boolean;
  /** The route for a status notice (case status, reminder, result date). Pure. */
  noticeRoute(q: NoticeQuestion): NoticeRoute;
  /** The route for words an official typed. Pure. */
  humanReplyRoute(q: { lastInboundAt: number | null; now: number; settings: HumanReplySettings }): HumanReplyRoute;
}

/** The policy of a channel ("messenger", "zalo", "console", …). */
export type MessagingPolicies = (channel: string) => MessagingPolicy;

/** True when `lastInboundAt` is less than `ms` before `now`. */
export function within(lastInboundAt: number | null, now: number, ms: number): boolean {
  return lastInboundAt !== null && now - lastInboundAt < ms;
}
