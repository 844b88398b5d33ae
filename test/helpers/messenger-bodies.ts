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
