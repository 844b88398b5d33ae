import { createHash } from 'node:crypto';
import { AppError } from '../../shared/app-error';
import type { Attachment, InboundContent, InboundEvent } from '../types';

export interface ZaloIgnoredEvent {
  /** Zalo's event_name */
  kind: string;
  reason: string;
}

export interface ZaloParseResult {
  events: InboundEvent[];
  ignored: ZaloIgnoredEvent[];
}

type Obj = Record<string, unknown>;

/** The msg_id every event sent from the developer console's test tool carries: not unique, so never an id. */
export const ZALO_CONSOLE_MSG_ID = 'This is message id';

const ATTACHMENT_KINDS: Record<string, Attachment['kind']> = {
  image: 'image',
  gif: 'image',
  file: 'file',
  sticker: 'sticker',
  audio: 'audio',
  voice: 'audio',
  video: 'video',
  link: 'link',
};

const ATTACHMENT_EVENTS = new Set([
  'user_send_image',
  'user_send_gif',
  'user_send_file',
  'user_send_sticker',
  'user_send_audio',
  'user_send_video',
  'user_send_link',
]);

const RECEIPTS = new Set(['user_received_message', 'user_seen_message']);

/**
 * Parses one Zalo webhook body (one flat event per POST) into platform-neutral events.
 * Echoes of the OA's own messages, receipts and unknown events land in `ignored`; only a body that is
 * not an object or has no event_name throws (AppError VALIDATION_FAILED).
 * Ids stay strings: Zalo's reach 19 digits, beyond what a JS number holds exactly.
 * @param now ms since the epoch, used when the event carries no usable timestamp
 */
export function parseZaloWebhook(body: unknown, now: number): ZaloParseResult {
  if (!isObj(body)) throw new AppError('VALIDATION_FAILED', 'a Zalo webhook body must be a JSON object');
  const kind = body.event_name;
  if (typeof kind !== 'string' || kind === '') {
    throw new AppError('VALIDATION_FAILED', 'a Zalo webhook body must carry event_name');
  }
  const outcome = contentOf(kind, body);
  if ('reason' in outcome) return { events: [], ignored: [{ kind, reason: outcome.reason }] };

  const event: InboundEvent = {
    id: eventId(kind, outcome.userId, body),
    channel: 'zalo',
    userId: outcome.userId,
    timestamp: timestampOf(body.timestamp, now),
    content: outcome.content,
  };
  if (outcome.recipientId !== undefined) event.recipientId = outcome.recipientId;
  return { events: [event], ignored: [] };
}

type Outcome = { userId: string; recipientId?: string; content: InboundContent } | { reason: string };

function contentOf(kind: string, body: Obj): Outcome {
  if (kind.startsWith('oa_send_')) return { reason: 'echo of a message the OA sent' };
  if (RECEIPTS.has(kind)) return { reason: 'delivery or read receipt' };
  if (kind === 'follow' || kind === 'unfollow') return followOf(kind, body);

  const known = kind === 'user_send_text' || kind === 'user_send_location' || kind === 'user_submit_info' || ATTACHMENT_EVENTS.has(kind);
  if (!known) return { reason: 'event kind not handled' };

  const userId = idOf(isObj(body.sender) ? body.sender.id : undefined);
  if (userId === undefined) return { reason: 'no sender id' };
  const recipientId = idOf(isObj(body.recipient) ? body.recipient.id : undefined);
  const message = isObj(body.message) ? body.message : {};

  let content: InboundContent | string;
  if (kind === 'user_send_text') content = textOf(message);
  else if (kind === 'user_send_location') content = locationOf(message);
  else if (kind === 'user_submit_info') content = contactOf(body.info);
  else content = attachmentsOf(kind, message);

  if (typeof content === 'string') return { reason: content };
  return recipientId === undefined ? { userId, content } : { userId, recipientId, content };
}

function followOf(kind: 'follow' | 'unfollow', body: Obj): Outcome {
  // follow/unfollow carry no sender: the person is follower.id, the OA is oa_id.
  const userId = idOf(isObj(body.follower) ? body.follower.id : undefined);
  if (userId === undefined) return { reason: 'no follower id' };
  const recipientId = idOf(body.oa_id);
  const content: InboundContent = { type: kind };
  return recipientId === undefined ? { userId, content } : { userId, recipientId, content };
}

// A tap on an oa.query.* button arrives as user_send_text with the button's payload as its text. It stays
// text here: the engine matches payloads and typed words alike.
function textOf(message: Obj): InboundContent | string {
  const text = message.text;
  if (typeof text !== 'string' || text === '') return 'text event without text';
  return { type: 'text', text };
}

function locationOf(message: Obj): InboundContent | string {
  const attachment = attachmentList(message).find((a) => a.type === 'location') ?? attachmentList(message)[0];
  const payload = attachment && isObj(attachment.payload) ? attachment.payload : {};
  const coords = isObj(payload.coordinates) ? payload.coordinates : {};
  // Zalo sends the coordinates as strings ("10.79").
  const lat = decimalOf(coords.latitude);
  const lng = decimalOf(coords.longitude);
  if (lat === undefined || lng === undefined || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
    return 'location without valid coordinates';
  }
  const title = nonEmpty(message.text);
  return title === undefined ? { type: 'location', lat, lng } : { type: 'location', lat, lng, title };
}

function attachmentsOf(kind: string, message: Obj): InboundContent | string {
  const fallbackType = kind.slice('user_send_'.length);
  const attachments: Attachment[] = [];
  for (const raw of attachmentList(message)) {
    const type = typeof raw.type === 'string' ? raw.type : fallbackType;
    const attachmentKind = ATTACHMENT_KINDS[type] ?? ATTACHMENT_KINDS[fallbackType];
    if (attachmentKind === undefined) continue;
    const payload = isObj(raw.payload) ? raw.payload : {};
    const a: Attachment = { kind: attachmentKind };
    const url = nonEmpty(payload.url);
    if (url !== undefined) a.url = url;
    const name = nonEmpty(payload.name);
    if (name !== undefined) a.name = name;
    const ref = idOf(payload.id);
    if (ref !== undefined) a.ref = ref;
    attachments.push(a);
  }
  if (attachments.length === 0) return 'attachment event without attachments';
  const caption = nonEmpty(message.text);
  return caption === undefined ? { type: 'attachments', attachments } : { type: 'attachments', attachments, text: caption };
}

// Two shapes: flat `info{name,phone,address,ward,district,city}` and the newer
// `info{name,phone:"849…",user_dob,gender,full_address{…}}`.
function contactOf(info: unknown): InboundContent | string {
  if (!isObj(info)) return 'submit_info without info';
  const content: InboundContent = { type: 'contact' };
  const name = nonEmpty(info.name);
  if (name !== undefined) content.name = name;
  const phone = idOf(info.phone);
  if (phone !== undefined) content.phone = phone;
  const address = addressOf(info);
  if (address !== undefined) content.address = address;
  return content;
}

const ADDRESS_PARTS = ['address', 'street', 'ward', 'district', 'city', 'province'];

function addressOf(info: Obj): string | undefined {
  const full = info.full_address;
  if (typeof full === 'string') return nonEmpty(full);
  const source = isObj(full) ? full : info;
  const known = ADDRESS_PARTS.map((k) => nonEmpty(source[k])).filter((v): v is string => v !== undefined);
  // In the newer shape, parts under names we do not know yet still reach the official, after the known ones.
  const others = isObj(full)
    ? Object.entries(full)
        .filter(([k]) => !ADDRESS_PARTS.includes(k))
        .map(([, v]) => nonEmpty(v))
        .filter((v): v is string => v !== undefined)
    : [];
  const parts = [...known, ...others];
  return parts.length === 0 ? undefined : parts.join(', ');
}

function eventId(kind: string, userId: string, body: Obj): string {
  const message = isObj(body.message) ? body.message : undefined;
  const msgId = idOf(message?.msg_id);
  if (msgId !== undefined && msgId !== ZALO_CONSOLE_MSG_ID) return `zalo:${msgId}`;
  // No usable msg_id (follow, submit_info, console tests): the same delivery always hashes the same.
  const identity = JSON.stringify([kind, userId, body.timestamp ?? null, message ?? body.info ?? body.follower ?? null]);
  return `zalo:h:${createHash('sha256').update(identity).digest('hex')}`;
}

function timestampOf(v: unknown, now: number): number {
  const n = typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : now;
}

function attachmentList(message: Obj): Obj[] {
  return Array.isArray(message.attachments) ? message.attachments.filter(isObj) : [];
}

/** An id as Zalo sends it: a string. A number is taken only when it is still exact. */
function idOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return undefined;
}

function decimalOf(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
