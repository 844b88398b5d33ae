import { parseMessengerWebhook } from '../messenger/parse';
import type { InboundEvent } from '../types';
import { parseZaloWebhook } from '../zalo/parse';
import type { ConsoleGesture } from './parse';
import type { ConsolePlatform } from './render';

/** What the terminal can deliver: every gesture but a `/tap` that named nothing. */
export type DeliverableGesture = Exclude<ConsoleGesture, { kind: 'no_such_tap' }>;

export interface DeliveryContext {
  userId: string;
  /** ms since the epoch */
  at: number;
  /** unique in the session: becomes the platform's message id */
  seq: number;
}

/** The Page and the OA the terminal pretends to be; any ids do, the parsers only pass them on. */
const PAGE_ID = 'console-page';
const OA_ID = 'console-oa';
const ZALO_APP_ID = 'console-app';

/**
 * The webhook body the platform would POST for this gesture (see platforms/messenger.md §1 and
 * platforms/zalo-oa.md §1), or null when the platform has no such event: Messenger has no follow or
 * unfollow (the neutral event is delivered as it is).
 */
export function webhookBody(gesture: DeliverableGesture, platform: ConsolePlatform, ctx: DeliveryContext): Record<string, unknown> | null {
  return platform === 'messenger' ? messengerBody(gesture, ctx) : zaloBody(gesture, ctx);
}

/**
 * The gesture as the server would receive it: its webhook body through that platform's own parser,
 * so what reaches the engine is what the platform delivers. `ignored` says why the parser dropped it.
 */
export function deliverGesture(gesture: DeliverableGesture, platform: ConsolePlatform, ctx: DeliveryContext): InboundEvent | { ignored: string } {
  const body = webhookBody(gesture, platform, ctx);
  if (body === null) {
    const content = gesture.kind === 'follow' ? ({ type: 'follow' } as const) : ({ type: 'unfollow' } as const);
    return { id: `console-${ctx.seq}`, channel: platform, userId: ctx.userId, timestamp: ctx.at, content };
  }
  const parsed = platform === 'messenger' ? parseMessengerWebhook(body, ctx.at) : parseZaloWebhook(body, ctx.at);
  return parsed.events[0] ?? { ignored: parsed.ignored.map((i) => i.reason).join('; ') || 'no event' };
}

function messengerBody(g: DeliverableGesture, ctx: DeliveryContext): Record<string, unknown> | null {
  const mid = `m_console_${ctx.seq}`;
  let item: Record<string, unknown>;
  switch (g.kind) {
    case 'follow':
    case 'unfollow':
      return null;
    case 'text':
      item = { message: { mid, text: g.text } };
      break;
    case 'tap':
      // A quick-reply tap is a message with the chip's title as text; a template button is a postback.
      item =
        g.tap.kind === 'quick_reply'
          ? { message: { mid, text: g.tap.title, quick_reply: { payload: g.tap.payload } } }
          : { postback: { mid, title: g.tap.title, payload: g.tap.payload } };
      break;
    case 'postback':
      item = { postback: { mid, payload: g.payload } };
      break;
    case 'image':
      item = { message: { mid, attachments: [{ type: 'image', payload: { url: g.url } }] } };
      break;
    case 'sticker':
      item = { message: { mid, attachments: [{ type: 'image', payload: { url: 'https://example.invalid/sticker.png', sticker_id: g.ref } }] } };
      break;
    case 'location':
      item = { message: { mid, attachments: [{ type: 'location', payload: { coordinates: { lat: g.lat, long: g.lng } } }] } };
      break;
  }
  const messaging = { sender: { id: ctx.userId }, recipient: { id: PAGE_ID }, timestamp: ctx.at, ...item };
  return { object: 'page', entry: [{ id: PAGE_ID, time: ctx.at, messaging: [messaging] }] };
}

function zaloBody(g: DeliverableGesture, ctx: DeliveryContext): Record<string, unknown> {
  const common = { app_id: ZALO_APP_ID, user_id_by_app: `app-${ctx.userId}`, timestamp: String(ctx.at) };
  if (g.kind === 'follow' || g.kind === 'unfollow') {
    return { ...common, event_name: g.kind, oa_id: OA_ID, follower: { id: ctx.userId }, source: 'zalo' };
  }
  const envelope = { ...common, sender: { id: ctx.userId }, recipient: { id: OA_ID } };
  const msg_id = `console${ctx.seq}`;
  switch (g.kind) {
    case 'text':
      return { ...envelope, event_name: 'user_send_text', message: { msg_id, text: g.text } };
    case 'tap':
    case 'postback':
      // Zalo has no postback: a tap on an oa.query.* button arrives as user_send_text whose text is the payload.
      return { ...envelope, event_name: 'user_send_text', message: { msg_id, text: g.kind === 'tap' ? g.tap.payload : g.payload } };
    case 'image':
      return { ...envelope, event_name: 'user_send_image', message: { msg_id, attachments: [{ type: 'image', payload: { url: g.url, thumbnail: g.url } }] } };
    case 'sticker':
      return {
        ...envelope,
        event_name: 'user_send_sticker',
        message: { msg_id, attachments: [{ type: 'sticker', payload: { id: g.ref, url: 'https://example.invalid/sticker.png' } }] },
      };
    case 'location':
      return {
        ...envelope,
        event_name: 'user_send_location',
        message: { msg_id, attachments: [{ type: 'location', payload: { coordinates: { latitude: String(g.lat), longitude: String(g.lng) } } }] },
      };
  }
}
