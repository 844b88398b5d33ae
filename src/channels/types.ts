/**
 * The platform-neutral shapes. A platform's wire format is parsed into InboundEvent on arrival and rendered
 * from OutboundMessage only in that platform's render.ts: nothing else knows Meta's or Zalo's field names.
 */
export type ChannelName = 'messenger' | 'zalo' | 'console';

export interface Attachment {
  kind: 'image' | 'file' | 'audio' | 'video' | 'sticker' | 'link';
  url?: string;
  name?: string;
  /** platform's own id for the asset (sticker id, attachment id) */
  ref?: string;
}

/** What the person did. Quick-reply taps are `text` with a `payload`. */
export type InboundContent =
  | { type: 'text'; text: string; payload?: string }
  | { type: 'postback'; payload: string; title?: string }
  | { type: 'attachments'; attachments: Attachment[]; text?: string }
  | { type: 'location'; lat: number; lng: number; title?: string }
  | { type: 'contact'; name?: string; phone?: string; address?: string }
  | { type: 'follow' }
  | { type: 'unfollow' }
  /**
   * The person came through a link or code that names a start (Messenger m.me/<page>?ref=…, a QR code
   * on a poster, Get Started after such a link, a plugin opt-in): `ref` is what the link carries.
   */
  | { type: 'referral'; ref: string; source?: string }
  /**
   * A person of the Page (commune staff, in the Page Inbox / Meta Business Suite) wrote to the citizen
   * directly. The event's `userId` is the citizen's: it is their conversation. Nothing to send: the
   * platform delivered it already. `text` is what they wrote, or a short description ("[image]").
   */
  | { type: 'page_reply'; text: string }
  /** the result of an action the engine asked for, fed back into the same conversation */
  | {
      type: 'action_result';
      action: string;
      ok: boolean;
      code?: string;
      data?: Record<string, unknown>;
      /** when the person's message that led to this action arrived (ms): the reply answers it */
      requestedAt?: number;
    };

export interface InboundEvent {
  /** unique per platform delivery: Messenger mid, Zalo msg_id, or a hash when the platform gives none */
  id: string;
  channel: ChannelName;
  /** PSID on Messenger, the OA-scoped user id on Zalo (a string: Zalo ids exceed 2^53) */
  userId: string;
  /** the Page or OA that received it */
  recipientId?: string;
  /** when the platform says it happened, ms since the epoch */
  timestamp: number;
  content: InboundContent;
}

export interface Choice {
  title: string;
  payload: string;
}

export type Button =
  | { type: 'postback'; title: string; payload: string }
  | { type: 'url'; title: string; url: string }
  | { type: 'phone'; title: string; phone: string };

export type OutboundMessage =
  /** text, optionally with choices (Messenger quick replies, Zalo buttons) */
  | { type: 'text'; text: string; choices?: Choice[] }
  /** text with up to 3 buttons (Messenger button template, Zalo buttons) */
  | { type: 'buttons'; text: string; buttons: Button[] }
  | { type: 'image'; url: string; caption?: string }
  | { type: 'typing' };

/**
 * Why a message is being sent. `response`: inside the free window as the answer to the person.
 * `update`: a status update the person did not just ask for. `human`: words an official typed.
 */
export type SendPurpose = 'response' | 'update' | 'human';

export interface SendOptions {
  purpose?: SendPurpose;
}

export interface SendResult {
  /** the platform's id of the delivered message, when it gives one */
  platformMessageId?: string;
}

/** Sends one message to one person on one platform. Throws SendError. */
export interface ChannelSender {
  readonly channel: ChannelName;
  send(userId: string, message: OutboundMessage, opts?: SendOptions): Promise<SendResult>;
}

/**
 * Reasons a send fails. `retryable` ones are retried with backoff (429, 5xx, network, rate limits);
 * the others never succeed by retrying and are recorded.
 */
export type SendFailureReason =
  | 'rate_limited'
  | 'server_error'
  | 'network'
  | 'token_invalid'
  | 'window_closed'
  | 'user_unavailable'
  | 'permission'
  | 'bad_request'
  | 'quota'
  | 'unknown';

/** A failed send. Matched by `name` after crossing a queue, never by instanceof. */
export class SendError extends Error {
  override readonly name = 'SendError';
  constructor(
    readonly reason: SendFailureReason,
    readonly retryable: boolean,
    message: string,
    /** the platform's own error code, e.g. Messenger 10/2018278 or Zalo -230 */
    readonly platformCode?: string,
  ) {
    super(message);
  }
}

export function isSendError(e: unknown): e is SendError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'SendError';
}

/** What a case-update template is filled with: the case's code, a few words on its status, its due date. */
export interface CaseUpdateParams {
  code: string;
  /** a few words on what happened */
  status: string;
  /** the due date, "Thứ Hai, 16/03/2026" */
  dueDate: string;
}

/** What an appointment-reminder template is filled with. */
export interface ReminderParams {
  /** the appointment's code, for the tracking id and the logs (not a template field) */
  code: string;
  /** the procedure's name, or the service asked for */
  procedure: string;
  /** "Thứ Hai, 16/03/2026" */
  date: string;
  /** "7h30-8h30" */
  time: string;
  place: string;
}

export type TemplateParams = CaseUpdateParams | ReminderParams;

/** True for an appointment reminder's parameters. */
export function isReminderParams(p: TemplateParams): p is ReminderParams {
  return 'procedure' in p;
}

/**
 * A platform template sent outside the free window (platforms/*.md): the only way a status update
 * or a reminder may reach a person there.
 */
export type TemplateRequest =
  /** Messenger Utility template (`messaging_type: UTILITY`), positional body parameters, see channels/messenger/template.ts */
  | { channel: 'messenger'; userId: string; template: string; language: 'vi'; params: TemplateParams }
  /** Zalo ZNS to a phone number (E.164 or 84…), template data under fixed field names, see channels/zalo/zns.ts */
  | { channel: 'zalo'; phone: string; templateId: string; params: TemplateParams; trackingId: string };

export interface TemplateSender {
  /** Throws SendError, like ChannelSender.send. */
  sendTemplate(request: TemplateRequest): Promise<SendResult>;
}
