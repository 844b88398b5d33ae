import { prefixWithin } from '../../shared/text-units';
import type { Button, OutboundMessage } from '../types';

/**
 * Zalo refuses text over 2000 characters in one message. Its servers' unit is not documented: text
 * is measured in UTF-16 units of NFC, never fewer than any other count of "characters" (code points,
 * graphemes), so a part that fits here fits there.
 */
export const ZALO_TEXT_LIMIT = 2000;
/** Buttons on one Zalo message; the PHP SDK's builder enforced this and v3 does not document another. */
export const ZALO_MAX_BUTTONS = 5;

export type ZaloButton =
  | { title: string; type: 'oa.query.hide'; payload: string }
  | { title: string; type: 'oa.open.url'; payload: { url: string } }
  | { title: string; type: 'oa.open.phone'; payload: { phone_code: string } };

export type ZaloAttachment =
  | { type: 'template'; payload: { buttons: ZaloButton[] } }
  | { type: 'template'; payload: { template_type: 'media'; elements: { media_type: 'image'; url: string }[] } };

/** The body of POST /v3.0/oa/message/cs. */
export interface ZaloCsBody {
  recipient: { user_id: string };
  message: { text?: string; attachment?: ZaloAttachment };
}

/**
 * Renders one message as the body of POST /v3.0/oa/message/cs, or null for `typing` (Zalo has no typing
 * indicator). Text must fit ZALO_TEXT_LIMIT; use renderZaloMessages for text of any length.
 */
export function renderZaloMessage(userId: string, message: OutboundMessage): ZaloCsBody | null {
  const bodies = renderZaloMessages(userId, message);
  if (bodies.length > 1) throw new RangeError(`Zalo text is limited to ${ZALO_TEXT_LIMIT} characters: use renderZaloMessages`);
  return bodies[0] ?? null;
}

/**
 * Renders one message as the bodies to send in order: text over ZALO_TEXT_LIMIT is split, the leading parts go
 * as plain text and the last one carries the buttons or the image. `typing` renders to nothing.
 */
export function renderZaloMessages(userId: string, message: OutboundMessage): ZaloCsBody[] {
  const recipient = { user_id: userId };
  switch (message.type) {
    case 'typing':
      return [];
    case 'text':
      return withButtons(recipient, message.text, (message.choices ?? []).map((c) => ({ type: 'postback', ...c })));
    case 'buttons':
      return withButtons(recipient, message.text, message.buttons);
    case 'image': {
      const attachment: ZaloAttachment = {
        type: 'template',
        payload: { template_type: 'media', elements: [{ media_type: 'image', url: message.url }] },
      };
      const caption = message.caption ?? '';
      if (caption === '') return [{ recipient, message: { attachment } }];
      return lastCarries(recipient, splitText(caption), attachment);
    }
  }
}

// Whether /v3.0/oa/message/cs honours buttons is unconfirmed (Zalo's /cs samples show none). A tap on an
// oa.query.hide button arrives as user_send_text whose text is the payload.
function withButtons(recipient: ZaloCsBody['recipient'], text: string, buttons: Button[]): ZaloCsBody[] {
  if (buttons.length === 0) return splitText(text).map((part) => ({ recipient, message: { text: part } }));
  // Zalo shows at most ZALO_MAX_BUTTONS buttons. The rest would be lost, so then the text lists every choice
  // with its number and the buttons carry the same numbers: "6" typed back is the sixth line, and a
  // button says which line it is.
  const overflowing = buttons.length > ZALO_MAX_BUTTONS;
  const shown = buttons.slice(0, ZALO_MAX_BUTTONS).map((b, i) => (overflowing ? { ...b, title: `${i + 1}. ${b.title}` } : b));
  const fullText = overflowing ? `${text}\n${buttons.map((b, i) => `${i + 1}. ${overflowLine(b)}`).join('\n')}` : text;
  const attachment: ZaloAttachment = { type: 'template', payload: { buttons: shown.map(toZaloButton) } };
  return lastCarries(recipient, splitText(fullText), attachment);
}

function lastCarries(recipient: ZaloCsBody['recipient'], parts: string[], attachment: ZaloAttachment): ZaloCsBody[] {
  return parts.map((part, i) =>
    i === parts.length - 1 ? { recipient, message: { text: part, attachment } } : { recipient, message: { text: part } },
  );
}

function toZaloButton(b: Button): ZaloButton {
  switch (b.type) {
    case 'postback':
      return { title: b.title, type: 'oa.query.hide', payload: b.payload };
    case 'url':
      return { title: b.title, type: 'oa.open.url', payload: { url: b.url } };
    case 'phone':
      return { title: b.title, type: 'oa.open.phone', payload: { phone_code: b.phone } };
  }
}

function overflowLine(b: Button): string {
  if (b.type === 'url') return `${b.title}: ${b.url}`;
  if (b.type === 'phone') return `${b.title}: ${b.phone}`;
  return b.title;
}

/**
 * Splits text into parts of at most `limit` UTF-16 units of NFC, in order, preferring a line break,
 * then a space; a hard cut falls between graphemes (never inside an emoji or a letter with its
 * marks). Empty text gives one empty part.
 * @param limit UTF-16 units per part; default ZALO_TEXT_LIMIT
 */
export function splitText(text: string, limit: number = ZALO_TEXT_LIMIT): string[] {
  if (limit < 2) throw new RangeError('limit must be at least 2');
  const parts: string[] = [];
  let rest = text.normalize('NFC');
  while (rest.length > limit) {
    let cut = rest.lastIndexOf('\n', limit);
    if (cut <= 0) cut = rest.lastIndexOf(' ', limit);
    if (cut <= 0) {
      const hard = prefixWithin(rest, limit);
      parts.push(hard);
      rest = rest.slice(hard.length);
    } else {
      // The break character itself is dropped: it would only lead the next part.
      parts.push(rest.slice(0, cut));
      rest = rest.slice(cut + 1);
    }
  }
  if (rest !== '' || parts.length === 0) parts.push(rest);
  return parts;
}
