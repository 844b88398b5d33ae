import type { Attachment, InboundContent } from '../types';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const MEDIA_KINDS = new Set(['image', 'file', 'audio', 'video']);

/** What one `message` object says, as neutral content, with its `mid` when it has one. */
export function parseMessageContent(message: unknown): { content: InboundContent; mid?: string } | { reason: string } {
  if (!isObj(message)) return { reason: 'message is not an object' };
  const mid = typeof message.mid === 'string' && message.mid !== '' ? message.mid : undefined;
  const text = typeof message.text === 'string' ? message.text : undefined;
  const payload = isObj(message.quick_reply) && typeof message.quick_reply.payload === 'string' ? message.quick_reply.payload : undefined;
  const raw = Array.isArray(message.attachments) ? message.attachments : [];

  const location = raw.map(toLocation).find((l) => l !== undefined);
  if (location) return { content: location, mid };

  const attachments = dedupeStickers(raw.map(toAttachment).filter((a): a is Attachment => a !== undefined));
  if (attachments.length > 0) {
    const content: InboundContent = { type: 'attachments', attachments };
    if (text !== undefined && text !== '') content.text = text;
    return { content, mid };
  }
  // A quick-reply tap is a message whose text is the button title and whose payload says which button.
  if (text !== undefined || payload !== undefined) {
    const content: InboundContent = { type: 'text', text: text ?? '' };
    if (payload !== undefined) content.payload = payload;
    return { content, mid };
  }
  return { reason: 'message without text or a supported attachment' };
}

function toLocation(a: unknown): InboundContent | undefined {
  if (!isObj(a) || a.type !== 'location' || !isObj(a.payload) || !isObj(a.payload.coordinates)) return undefined;
  const { lat, long } = a.payload.coordinates;
  if (typeof lat !== 'number' || typeof long !== 'number') return undefined;
  const content: InboundContent = { type: 'location', lat, lng: long };
  if (typeof a.title === 'string' && a.title !== '') content.title = a.title;
  return content;
}

function toAttachment(a: unknown): Attachment | undefined {
  if (!isObj(a) || typeof a.type !== 'string') return undefined;
  const p = isObj(a.payload) ? a.payload : {};
  const url = typeof p.url === 'string' && p.url !== '' ? p.url : undefined;
  const stickerId = typeof p.sticker_id === 'string' || typeof p.sticker_id === 'number' ? String(p.sticker_id) : undefined;

  // Stickers come as `image` with a sticker_id and, since 2026, also as `sticker`.
  if (a.type === 'sticker' || (a.type === 'image' && stickerId !== undefined)) {
    return withOptional({ kind: 'sticker' }, url, stickerId);
  }
  if (MEDIA_KINDS.has(a.type)) {
    return url === undefined ? undefined : { kind: a.type as Attachment['kind'], url };
  }
  // A shared link arrives as `fallback` with a title and a url.
  if (a.type === 'fallback' && url !== undefined) {
    const link: Attachment = { kind: 'link', url };
    if (typeof a.title === 'string' && a.title !== '') link.name = a.title;
    return link;
  }
  return undefined;
}

function withOptional(a: Attachment, url: string | undefined, ref: string | undefined): Attachment {
  if (url !== undefined) a.url = url;
  if (ref !== undefined) a.ref = ref;
  return a;
}

/** Until 2026-08-30 one sticker can arrive twice in one message (the `sticker` and its `image` copy). */
function dedupeStickers(list: Attachment[]): Attachment[] {
  const seen = new Set<string>();
  return list.filter((a) => {
    if (a.kind !== 'sticker' || a.ref === undefined) return true;
    if (seen.has(a.ref)) return false;
    seen.add(a.ref);
    return true;
  });
}
