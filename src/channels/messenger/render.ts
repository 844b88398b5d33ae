import { SendError, type Button, type Choice, type OutboundMessage, type SendPurpose } from '../types';
import {
  MAX_BUTTONS,
  MAX_BUTTON_TEXT,
  MAX_PAYLOAD,
  MAX_QUICK_REPLIES,
  MAX_TEXT,
  lengthOf,
  splitText,
  truncateTitle,
} from './text-limits';

export interface MessengerQuickReply {
  content_type: 'text';
  title: string;
  payload: string;
}

export type MessengerButton =
  | { type: 'postback'; title: string; payload: string }
  | { type: 'web_url'; title: string; url: string }
  | { type: 'phone_number'; title: string; payload: string };

export type MessengerMessage =
  | { text: string; quick_replies?: MessengerQuickReply[] }
  | { attachment: { type: 'template'; payload: { template_type: 'button'; text: string; buttons: MessengerButton[] } } }
  | { attachment: { type: 'image'; payload: { url: string; is_reusable: boolean } } };

/** One Send API request body (`POST /me/messages`). */
export type MessengerSendBody =
  | {
      recipient: { id: string };
      messaging_type: 'RESPONSE' | 'UPDATE' | 'MESSAGE_TAG';
      /** only with MESSAGE_TAG. CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE and ACCOUNT_UPDATE are refused since 2026-04-27. */
      tag?: 'HUMAN_AGENT';
      message: MessengerMessage;
    }
  | { recipient: { id: string }; sender_action: 'typing_on' };

/**
 * The Send API body for one message. It never splits: text over Messenger's limits throws a final
 * SendError('bad_request'). The sender uses renderMessengerMessages, which splits first.
 */
export function renderMessengerMessage(userId: string, message: OutboundMessage, purpose: SendPurpose = 'response'): MessengerSendBody {
  const recipient = { id: userId };
  switch (message.type) {
    case 'typing':
      return { recipient, sender_action: 'typing_on' };
    case 'text':
      return envelope(recipient, purpose, textMessage(message.text, message.choices));
    case 'buttons':
      if (message.buttons.length === 0) return envelope(recipient, purpose, textMessage(message.text));
      if (message.buttons.length > MAX_BUTTONS) {
        const fallback = buttonsAsQuickReplies(message.text, message.buttons);
        return envelope(recipient, purpose, textMessage(fallback.text, fallback.choices));
      }
      return envelope(recipient, purpose, buttonTemplate(message.text, message.buttons));
    case 'image':
      return envelope(recipient, purpose, { attachment: { type: 'image', payload: { url: message.url, is_reusable: true } } });
  }
}

/**
 * The Send API bodies for one message, to be sent in this order: long text is split into several
 * messages (choices and buttons ride on the last one), and an image's caption follows the image.
 */
export function renderMessengerMessages(userId: string, message: OutboundMessage, purpose: SendPurpose = 'response'): MessengerSendBody[] {
  switch (message.type) {
    case 'typing':
      return [renderMessengerMessage(userId, message, purpose)];
    case 'text':
      return splitLast(message.text, MAX_TEXT, userId, purpose, (text) => ({ type: 'text', text, choices: message.choices }));
    case 'buttons': {
      if (message.buttons.length > MAX_BUTTONS) {
        const fallback = buttonsAsQuickReplies(message.text, message.buttons);
        return renderMessengerMessages(userId, { type: 'text', ...fallback }, purpose);
      }
      const max = message.buttons.length === 0 ? MAX_TEXT : MAX_BUTTON_TEXT;
      return splitLast(message.text, max, userId, purpose, (text) => ({ type: 'buttons', text, buttons: message.buttons }));
    }
    case 'image': {
      const image = renderMessengerMessage(userId, { type: 'image', url: message.url }, purpose);
      const caption = message.caption?.trim() ? renderMessengerMessages(userId, { type: 'text', text: message.caption }, purpose) : [];
      return [image, ...caption];
    }
  }
}

function splitLast(
  text: string,
  max: number,
  userId: string,
  purpose: SendPurpose,
  last: (text: string) => OutboundMessage,
): MessengerSendBody[] {
  const pieces = splitText(text, max);
  const final = pieces.pop()!;
  return [
    ...pieces.map((piece) => renderMessengerMessage(userId, { type: 'text', text: piece }, purpose)),
    renderMessengerMessage(userId, last(final), purpose),
  ];
}

function envelope(recipient: { id: string }, purpose: SendPurpose, message: MessengerMessage): MessengerSendBody {
  switch (purpose) {
    case 'response':
      return { recipient, messaging_type: 'RESPONSE', message };
    case 'update':
      return { recipient, messaging_type: 'UPDATE', message };
    case 'human':
      // HUMAN_AGENT: up to 7 days after the person's last message, for words an official typed.
      return { recipient, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message };
  }
}

function textMessage(text: string, choices?: Choice[]): MessengerMessage {
  const nfc = checkedText(text, MAX_TEXT);
  if (!choices || choices.length === 0) return { text: nfc };
  // Messenger shows at most 13; the flow author sees the cut in the transcript tests, not at run time.
  const quickReplies = choices.slice(0, MAX_QUICK_REPLIES).map((c) => ({
    content_type: 'text' as const,
    title: truncateTitle(c.title),
    payload: checkedPayload(c.payload),
  }));
  return { text: nfc, quick_replies: quickReplies };
}

function buttonTemplate(text: string, buttons: Button[]): MessengerMessage {
  return {
    attachment: {
      type: 'template',
      payload: { template_type: 'button', text: checkedText(text, MAX_BUTTON_TEXT), buttons: buttons.map(renderButton) },
    },
  };
}

function renderButton(b: Button): MessengerButton {
  const title = truncateTitle(b.title);
  switch (b.type) {
    case 'postback':
      return { type: 'postback', title, payload: checkedPayload(b.payload) };
    case 'url':
      return { type: 'web_url', title, url: b.url };
    case 'phone':
      return { type: 'phone_number', title, payload: internationalPhone(b.phone) };
  }
}

/**
 * More than three buttons do not fit a button template: postbacks become quick replies and links or
 * phone numbers are written into the text, one a line.
 */
function buttonsAsQuickReplies(text: string, buttons: Button[]): { text: string; choices: Choice[] } {
  const choices: Choice[] = [];
  const lines: string[] = [];
  for (const b of buttons) {
    if (b.type === 'postback') choices.push({ title: b.title, payload: b.payload });
    else lines.push(`${b.title}: ${b.type === 'url' ? b.url : b.phone}`);
  }
  return { text: [text, ...lines].join('\n'), choices };
}

/** Messenger's call button wants +84…; commune staff write numbers the Vietnamese way, 0xx xxx xxxx. */
function internationalPhone(phone: string): string {
  const compact = phone.replace(/[\s.()-]/g, '');
  return /^0\d{8,10}$/.test(compact) ? `+84${compact.slice(1)}` : compact;
}

function checkedText(text: string, max: number): string {
  const nfc = text.normalize('NFC');
  if (lengthOf(nfc) > max) {
    throw new SendError('bad_request', false, `text has ${lengthOf(nfc)} characters; Messenger takes ${max} (use renderMessengerMessages)`);
  }
  return nfc;
}

function checkedPayload(payload: string): string {
  if (lengthOf(payload) > MAX_PAYLOAD) {
    throw new SendError('bad_request', false, `payload longer than ${MAX_PAYLOAD} characters`);
  }
  return payload;
}
