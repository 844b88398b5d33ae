import { createHash } from 'node:crypto';
import { AppError } from '../../shared/app-error';
import type { InboundContent, InboundEvent } from '../types';
import { parseMessageContent } from './parse-message';

/** A webhook item that produced no event, and why. `kind` is safe to log; `reason` is for people reading tests and traces. */
export interface IgnoredItem {
  kind: string;
  reason: string;
}

export interface ParsedMessengerWebhook {
  events: InboundEvent[];
  ignored: IgnoredItem[];
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys of a messaging item that say nothing about what happened. */
const ENVELOPE_KEYS = new Set(['sender', 'recipient', 'timestamp']);

/** Kinds we know and deliberately drop; the value is the reason. */
const DROPPED_KINDS: Record<string, string> = {
  delivery: 'delivery receipt',
  read: 'read receipt',
  reaction: 'reactions carry no request',
  message_edit: 'edits of an earlier message are not replayed',
  pass_thread_control: 'thread control change',
  take_thread_control: 'thread control change',
  request_thread_control: 'thread control change',
  app_roles: 'app role change',
  policy_enforcement: 'policy enforcement notice',
  account_linking: 'account linking is not used',
};

/**
 * App ids whose echoes are words a person of the Page typed: the Page Inbox (platforms/messenger.md §5:
 * "Echoes of replies sent from the Inbox carry app_id 263902037430900") and the Meta Business Suite
 * inbox id some vendors cite. Every other echo — our own sends (our app's id), an echo without app_id —
 * stays ignored: we know which app is a person, not which app is ours (no setting names our app id).
 */
export const PAGE_INBOX_APP_IDS: ReadonlySet<string> = new Set(['263902037430900', '1217981644879628']);

/** An m.me `ref` is at most 2083 characters (platforms/messenger.md); anything longer is not a ref. */
const MAX_REF = 2083;

/**
 * Turns a Messenger webhook body into platform-neutral events. Never throws for an item it does not
 * understand: such items come back in `ignored`, so the webhook can still answer 200 (Meta unsubscribes
 * an app whose webhook keeps failing). Throws AppError only when the body is not a Page webhook at all.
 *
 * @param now ms since the epoch, used when neither the item nor its entry carries a time; default Date.now()
 */
export function parseMessengerWebhook(body: unknown, now: number = Date.now()): ParsedMessengerWebhook {
  if (!isObj(body)) throw new AppError('VALIDATION_FAILED', 'webhook body is not a JSON object');
  if (body.object !== 'page') throw new AppError('UNKNOWN_WEBHOOK_OBJECT', 'webhook object is not "page"');
  if (!Array.isArray(body.entry)) throw new AppError('VALIDATION_FAILED', 'webhook entry is not an array');

  const events: InboundEvent[] = [];
  const ignored: IgnoredItem[] = [];
  for (const entry of body.entry) {
    parseEntry(entry, now, events, ignored);
  }
  // Meta does not guarantee order inside or across deliveries; the stable sort keeps each sender's
  // events with equal timestamps in the order they came.
  events.sort((a, b) => a.timestamp - b.timestamp);
  return { events, ignored };
}

function parseEntry(entry: unknown, now: number, events: InboundEvent[], ignored: IgnoredItem[]): void {
  if (!isObj(entry)) {
    ignored.push({ kind: 'entry', reason: 'entry is not an object' });
    return;
  }
  const fallbackTime = toMillis(entry.time) ?? now;
  let recognised = false;

  if (Array.isArray(entry.changes)) {
    recognised = true;
    // The App Dashboard "Test" button sends the field/value form with page id "0"; a 200 is all it needs.
    const kind = entry.id === '0' ? 'dashboard_test' : 'change';
    for (const _change of entry.changes) ignored.push({ kind, reason: 'field/value change form is not a conversation event' });
  }
  if (Array.isArray(entry.standby)) {
    recognised = true;
    for (const _item of entry.standby) ignored.push({ kind: 'standby', reason: 'another app owns the thread: never answer' });
  }
  if (Array.isArray(entry.messaging)) {
    recognised = true;
    for (const item of entry.messaging) {
      const result = parseMessagingItem(item, fallbackTime);
      if ('kind' in result) ignored.push(result);
      else events.push(result.event);
    }
  }
  if (!recognised) ignored.push({ kind: 'entry', reason: 'entry has no messaging, standby or changes list' });
}

function parseMessagingItem(item: unknown, fallbackTime: number): { event: InboundEvent } | IgnoredItem {
  if (!isObj(item)) return { kind: 'unknown', reason: 'messaging item is not an object' };
  const kind = itemKind(item);

  if (kind === 'message' && isObj(item.message) && item.message.is_echo === true) return parseEcho(item, fallbackTime);
  if (kind in DROPPED_KINDS) return { kind, reason: DROPPED_KINDS[kind]! };

  const userId = idOf(item.sender);
  let found: { content: InboundContent; mid?: string } | { reason: string };
  if (kind === 'message') found = parseMessageContent(item.message);
  else if (kind === 'postback') found = parsePostback(item.postback);
  else if (kind === 'referral') found = parseReferral(item.referral);
  else if (kind === 'optin') {
    // A plugin opt-in with only a user_ref has no PSID: nobody to answer until the person writes.
    if (!userId) return { kind, reason: 'opt-in without sender (plugin user_ref): no PSID to answer' };
    found = parseReferral(item.optin);
  } else return { kind, reason: 'unknown messaging item kind' };
  if (!userId) return { kind, reason: 'no sender id' };
  if ('reason' in found) return { kind, reason: found.reason };

  const timestamp = toMillis(item.timestamp) ?? fallbackTime;
  const event: InboundEvent = {
    id: found.mid ?? hashId(userId, timestamp, found.content),
    channel: 'messenger',
    userId,
    timestamp,
    content: found.content,
  };
  const recipientId = idOf(item.recipient);
  if (recipientId) event.recipientId = recipientId;
  return { event };
}

/**
 * An echo is decided on is_echo alone (published echoes exist with the user as sender and no app_id).
 * Only a Page Inbox echo becomes an event: a person of the Page wrote to the citizen, who is the echo's
 * recipient, so it lands in the citizen's conversation (its id is the mid: a redelivery is deduped).
 */
function parseEcho(item: Obj, fallbackTime: number): { event: InboundEvent } | IgnoredItem {
  const message = item.message as Obj;
  const appId = typeof message.app_id === 'number' || typeof message.app_id === 'string' ? String(message.app_id) : undefined;
  if (appId === undefined || !PAGE_INBOX_APP_IDS.has(appId)) return { kind: 'echo', reason: 'echo of a message an app sent (ours, or one we cannot tell)' };
  const citizenId = idOf(item.recipient);
  const pageId = idOf(item.sender);
  if (!citizenId) return { kind: 'echo', reason: 'Page Inbox echo without recipient' };
  const found = parseMessageContent(message);
  if ('reason' in found) return { kind: 'echo', reason: `Page Inbox echo: ${found.reason}` };
  if (!found.mid) return { kind: 'echo', reason: 'Page Inbox echo without mid' };
  const event: InboundEvent = {
    id: found.mid,
    channel: 'messenger',
    userId: citizenId,
    timestamp: toMillis(item.timestamp) ?? fallbackTime,
    content: { type: 'page_reply', text: describePageReply(found.content) },
  };
  if (pageId) event.recipientId = pageId;
  return { event };
}

function describePageReply(c: InboundContent): string {
  if (c.type === 'text') return c.text;
  if (c.type === 'attachments') return [c.text, ...c.attachments.map((a) => `[${a.kind}]`)].filter(Boolean).join(' ');
  if (c.type === 'location') return '[location]';
  return `[${c.type}]`;
}

/** `referral` (m.me link into an existing thread) and `optin` (plugin, with a PSID sender) carry `ref`. */
function parseReferral(value: unknown): { content: InboundContent } | { reason: string } {
  if (!isObj(value)) return { reason: 'referral is not an object' };
  const ref = typeof value.ref === 'string' ? value.ref.trim() : '';
  if (ref === '' || ref.length > MAX_REF) return { reason: 'referral without a usable ref' };
  const content: InboundContent = { type: 'referral', ref };
  if (typeof value.source === 'string' && /^[A-Za-z_]{1,40}$/.test(value.source)) content.source = value.source;
  return { content };
}

/** The name of what happened in a messaging item: its first key other than sender/recipient/timestamp. */
function itemKind(item: Obj): string {
  if ('message' in item) return 'message';
  if ('postback' in item) return 'postback';
  const key = Object.keys(item).find((k) => !ENVELOPE_KEYS.has(k));
  if (key === undefined) return 'unknown';
  // The kind is logged; keep it to a plain identifier so nothing sent by the platform leaks into logs.
  return /^[a-z_]{1,40}$/.test(key) ? key : 'unknown';
}

function parsePostback(postback: unknown): { content: InboundContent; mid?: string } | { reason: string } {
  if (!isObj(postback)) return { reason: 'postback is not an object' };
  const mid = typeof postback.mid === 'string' && postback.mid !== '' ? postback.mid : undefined;
  // Get Started after an m.me link or QR code: the link's ref says where to start.
  const referral = parseReferral(postback.referral);
  if ('content' in referral) return { content: referral.content, mid };
  if (typeof postback.payload !== 'string') return { reason: 'postback without payload' };
  const content: InboundContent = { type: 'postback', payload: postback.payload };
  if (typeof postback.title === 'string') content.title = postback.title;
  return { content, mid };
}

function idOf(party: unknown): string | undefined {
  // Ids stay strings: Meta sends them as strings and a number could already have lost digits.
  return isObj(party) && typeof party.id === 'string' && party.id !== '' ? party.id : undefined;
}

/**
 * Meta's times: ms numbers in messaging items, seconds in the field/value form and the Dashboard test
 * (as a number or a string). Anything below 1e11 is taken as seconds: 1e11 ms is 1973, 1e11 s is year 5138.
 */
export function toMillis(v: unknown): number | undefined {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^\d{1,16}(\.\d+)?$/.test(v.trim())) n = Number(v.trim());
  else return undefined;
  if (!Number.isFinite(n) || n <= 0) return undefined;
  return Math.round(n < 1e11 ? n * 1000 : n);
}

/** A stable id for items without `mid` (older postbacks): the same delivery retried gives the same id. */
function hashId(userId: string, timestamp: number, content: InboundContent): string {
  const digest = createHash('sha256').update(JSON.stringify([userId, timestamp, content])).digest('hex');
  return `h:${digest}`;
}
