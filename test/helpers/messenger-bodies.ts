import { signMessengerBody } from '../../src/channels/messenger/signature';

/**
 * A Messenger webhook body as Meta writes it: non-ASCII escaped as \uXXXX and '/' as '\/'.
 * Returns the raw string and its signature header value.
 */
export function messengerTextBody(opts: { psid: string; mid: string; text: string; timestamp?: number; pageId?: string }, appSecret: string): { raw: string; signature: string } {
  const ts = opts.timestamp ?? Date.now();
  const page = opts.pageId ?? '1029384756';
  const escape = (s: string) => s.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/\//g, '\\/');
  const raw =
    `{"object":"page","entry":[{"id":"${page}","time":${ts},"messaging":[{"sender":{"id":"${opts.psid}"},"recipient":{"id":"${page}"},` +
    `"timestamp":${ts},"message":{"mid":"${opts.mid}","text":"${escape(opts.text)}"}}]}]}`;
  return { raw, signature: signMessengerBody(raw, appSecret) };
}

/** Meta's escaping of a JSON body: non-ASCII as \uXXXX and '/' as '\/'. */
function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

/** One signed webhook body holding the given `messaging` items, escaped the way Meta writes it. */
export function messengerItemsBody(items: object[], appSecret: string, pageId = '1029384756'): { raw: string; signature: string } {
  const raw = metaJson({ object: 'page', entry: [{ id: pageId, time: Date.now(), messaging: items }] });
  return { raw, signature: signMessengerBody(raw, appSecret) };
}

/** The Page Inbox app: echoes carrying it are words a person of the Page typed (platforms/messenger.md). */
export const PAGE_INBOX_APP_ID = 263902037430900;

/** An echo item: the Page is the sender and the citizen the recipient; `appId` says which app sent it. */
export function echoItem(opts: { psid: string; mid: string; text: string; appId: number; timestamp?: number; pageId?: string }): object {
  const page = opts.pageId ?? '1029384756';
  return { sender: { id: page }, recipient: { id: opts.psid }, timestamp: opts.timestamp ?? Date.now(), message: { mid: opts.mid, is_echo: true, app_id: opts.appId, text: opts.text } };
}

/** A standalone referral item (m.me/<page>?ref=<ref> into an existing thread). */
export function referralItem(opts: { psid: string; ref: string; source?: string; timestamp?: number; pageId?: string }): object {
  const page = opts.pageId ?? '1029384756';
  return { sender: { id: opts.psid }, recipient: { id: page }, timestamp: opts.timestamp ?? Date.now(), referral: { ref: opts.ref, source: opts.source ?? 'SHORTLINK', type: 'OPEN_THREAD' } };
}

/** Get Started tapped after an m.me link or QR code: a postback carrying the link's referral. */
export function getStartedItem(opts: { psid: string; mid: string; ref: string; timestamp?: number; pageId?: string }): object {
  const page = opts.pageId ?? '1029384756';
  return {
    sender: { id: opts.psid },
    recipient: { id: page },
    timestamp: opts.timestamp ?? Date.now(),
    postback: { mid: opts.mid, title: 'Bắt đầu', payload: 'GET_STARTED', referral: { ref: opts.ref, source: 'MESSENGER_CODE', type: 'OPEN_THREAD' } },
  };
}
