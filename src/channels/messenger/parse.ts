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
  referral: 'referral into an existing thread has no neutral shape',
  pass_thread_control: 'thread control change',
  take_thread_control: 'thread control change',
  request_thread_control: 'thread control change',
  app_roles: 'app role change',
  policy_enforcement: 'policy enforcement notice',
  account_linking: 'account linking is not used',
};

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

  if (kind === 'message' && isObj(item.message) && item.message.is_echo === true) {
    // Decided on is_echo alone: published echoes exist with the user as sender and no app_id.
    return { kind: 'echo', reason: 'echo of a message the Page sent' };
  }
  if (kind in DROPPED_KINDS) return { kind, reason: DROPPED_KINDS[kind]! };

  const userId = idOf(item.sender);
  if (kind === 'optin') {
    return { kind, reason: userId ? 'opt-ins have no neutral shape' : 'opt-in without sender (plugin user_ref)' };
  }
  if (kind !== 'message' && kind !== 'postback') return { kind, reason: 'unknown messaging item kind' };
  if (!userId) return { kind, reason: 'no sender id' };

  const found = kind === 'message' ? parseMessageContent(item.message) : parsePostback(item.postback);
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
  if (typeof postback.payload !== 'string') return { reason: 'postback without payload' };
  const content: InboundContent = { type: 'postback', payload: postback.payload };
  if (typeof postback.title === 'string') content.title = postback.title;
  return { content, mid: typeof postback.mid === 'string' && postback.mid !== '' ? postback.mid : undefined };
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
