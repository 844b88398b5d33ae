import axios, { type AxiosInstance } from 'axios';
import { platformHttp } from '../http-client';
import type { MessengerConfig } from '../../config';
import type { Logger } from '../../shared/logger';
import type { ChannelSender, OutboundMessage, SendError, SendOptions, SendResult } from '../types';
import { renderMessengerMessages, type MessengerSendBody } from './render';
import { classifyGraphFailure, networkFailure, type GraphError } from './send-errors';

/** Send API calls give up after this long; the queue retries them. */
export const SEND_TIMEOUT_MS = 10_000;

/**
 * One Send API request (`POST {apiBase}/me/messages`): the message id, or Meta's refusal classified
 * (send-errors.ts). A network failure throws a retryable SendError.
 */
export async function postSendApi(
  http: AxiosInstance,
  url: string,
  pageAccessToken: string,
  body: object,
  timeoutMs: number,
): Promise<{ ok: true; messageId?: string } | { ok: false; failure: SendError; status: number }> {
  let res;
  try {
    // The token travels as a query parameter, as Meta documents; it is never logged, and axios's own
    // error (which holds the request config) is not passed on. Written into the URL here rather than
    // as `params`, which axios would serialise again on every call.
    res = await http.post<unknown>(`${url}${url.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(pageAccessToken)}`, body, {
      timeout: timeoutMs,
      validateStatus: () => true,
    });
  } catch (e) {
    throw networkFailure(axios.isAxiosError(e) ? e.code : undefined);
  }
  const data = res.data as { message_id?: unknown; error?: GraphError } | undefined;
  if (res.status >= 200 && res.status < 300 && !data?.error) return { ok: true, ...(typeof data?.message_id === 'string' ? { messageId: data.message_id } : {}) };
  return { ok: false, failure: classifyGraphFailure(res.status, data?.error), status: res.status };
}

export interface MessengerSender extends ChannelSender {
  /** Shows the typing indicator (off after 20 s or with the next message). */
  sendTyping(userId: string): Promise<void>;
}

export interface MessengerSenderDeps {
  /** default: the process's Messenger client (channels/http-client.ts); every call gets `timeoutMs` */
  http?: AxiosInstance;
  log: Logger;
  /** ms before a Send API call is abandoned (and retried by the queue); default SEND_TIMEOUT_MS, 10 s */
  timeoutMs?: number;
}

/**
 * Sends through the Send API (`POST {apiBase}/me/messages`). A message too long for one request goes out
 * as several, in order. Throws SendError: retryable for 429, 5xx, rate-limit codes and network
 * failures; final for a closed window, an unavailable person, a bad token, a refused permission.
 */
export function createMessengerSender(config: MessengerConfig, deps: MessengerSenderDeps): MessengerSender {
  const { timeoutMs = SEND_TIMEOUT_MS } = deps;
  const http = deps.http ?? platformHttp('messenger');
  const log = deps.log.child({ channel: 'messenger' });
  const url = `${config.apiBase}/me/messages`;

  async function post(body: MessengerSendBody): Promise<string | undefined> {
    const r = await postSendApi(http, url, config.pageAccessToken, body, timeoutMs);
    if (r.ok) return r.messageId;
    log.warn({ reason: r.failure.reason, retryable: r.failure.retryable, platformCode: r.failure.platformCode, status: r.status }, 'messenger send failed');
    throw r.failure;
  }

  async function send(userId: string, message: OutboundMessage, opts: SendOptions = {}): Promise<SendResult> {
    const { purpose = 'response' } = opts;
    let platformMessageId: string | undefined;
    // One after the other: Messenger shows messages in the order their requests complete.
    for (const body of renderMessengerMessages(userId, message, purpose)) {
      platformMessageId = (await post(body)) ?? platformMessageId;
    }
    log.debug({ type: message.type, purpose }, 'messenger message sent');
    return platformMessageId === undefined ? {} : { platformMessageId };
  }

  return {
    channel: 'messenger',
    send,
    async sendTyping(userId: string): Promise<void> {
      await send(userId, { type: 'typing' });
    },
  };
}
