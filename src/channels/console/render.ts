import { renderMessengerMessages, type MessengerButton, type MessengerSendBody } from '../messenger/render';
import type { OutboundMessage } from '../types';
import { renderZaloMessages, type ZaloButton, type ZaloCsBody } from '../zalo/render';

/** Which platform the console imitates. */
export type ConsolePlatform = 'messenger' | 'zalo';

/**
 * Something the person can tap, with what the platform sent: the title as the renderer cut it and
 * the payload. `kind` says how the platform delivers the tap (see parse.ts).
 */
export type ConsoleTap =
  /** a Messenger quick reply: comes back as a message whose text is the title, with the payload */
  | { kind: 'quick_reply'; title: string; payload: string }
  /** a Messenger button-template postback button: comes back as a postback */
  | { kind: 'postback'; title: string; payload: string }
  /** a Zalo oa.query.* button: comes back as user_send_text whose text is the payload */
  | { kind: 'zalo_query'; title: string; payload: string };

/** One message as the platform would show it: its text, then its chips or buttons, numbered for `/tap N`. */
export interface ConsoleScreen {
  text: string;
  /** what `/tap 1`, `/tap 2`… deliver, in order; empty when nothing can be tapped */
  taps: ConsoleTap[];
}

/**
 * One OutboundMessage through the platform's own renderer (the bodies the server would send), shown as
 * plain text: one screen per wire body, in order. `typing` shows nothing.
 */
export function renderForConsole(message: OutboundMessage, platform: ConsolePlatform, userId: string): ConsoleScreen[] {
  return platform === 'messenger'
    ? renderMessengerMessages(userId, message).flatMap(messengerScreen)
    : renderZaloMessages(userId, message).map(zaloScreen);
}

function messengerScreen(body: MessengerSendBody): ConsoleScreen[] {
  if (!('message' in body)) return [];
  const m = body.message;
  if ('text' in m) {
    const taps: ConsoleTap[] = (m.quick_replies ?? []).map((q) => ({ kind: 'quick_reply', title: q.title, payload: q.payload }));
    const chips = taps.map((t, i) => `( ${i + 1}. ${t.title} )`).join(' ');
    return [{ text: chips === '' ? m.text : `${m.text}\n${chips}`, taps }];
  }
  const attachment = m.attachment;
  if (attachment.type === 'image') return [{ text: `[ảnh] ${attachment.payload.url}`, taps: [] }];
  const taps: ConsoleTap[] = [];
  const lines = attachment.payload.buttons.map((b) => messengerButtonLine(b, taps));
  return [{ text: [attachment.payload.text, ...lines].join('\n'), taps }];
}

function messengerButtonLine(b: MessengerButton, taps: ConsoleTap[]): string {
  switch (b.type) {
    case 'postback':
      taps.push({ kind: 'postback', title: b.title, payload: b.payload });
      return `  [ ${taps.length}. ${b.title} ]`;
    case 'web_url':
      return `  [ ${b.title} → ${b.url} ]`;
    case 'phone_number':
      return `  [ ${b.title} ☎ ${b.payload} ]`;
  }
}

function zaloScreen(body: ZaloCsBody): ConsoleScreen {
  const { text, attachment } = body.message;
  const taps: ConsoleTap[] = [];
  // An image's caption rides on the same body: the image shows above it.
  const images = attachment && 'elements' in attachment.payload ? attachment.payload.elements.map((e) => `[ảnh] ${e.url}`) : [];
  const buttons = attachment && 'buttons' in attachment.payload ? attachment.payload.buttons.map((b) => zaloButtonLine(b, taps)) : [];
  return { text: [...images, ...(text === undefined ? [] : [text]), ...buttons].join('\n'), taps };
}

function zaloButtonLine(b: ZaloButton, taps: ConsoleTap[]): string {
  switch (b.type) {
    case 'oa.query.hide':
      taps.push({ kind: 'zalo_query', title: b.title, payload: b.payload });
      return `  [ ${taps.length}. ${b.title} ]`;
    case 'oa.open.url':
      return `  [ ${b.title} → ${b.payload.url} ]`;
    case 'oa.open.phone':
      return `  [ ${b.title} ☎ ${b.payload.phone_code} ]`;
  }
}
