import type { AxiosInstance } from 'axios';
import { platformHttp } from '../http-client';
import type { ZaloConfig } from '../../config';
import type { Logger } from '../../shared/logger';
import { SendError, type ChannelSender, type SendFailureReason, type SendResult } from '../types';
import { renderZaloMessages, type ZaloCsBody } from './render';
import type { ZaloTokenManager } from './tokens';

const SEND_TIMEOUT_MS = 10_000;
const TOKEN_REJECTED = new Set([-216, -220]);

interface Classification {
  reason: SendFailureReason;
  retryable: boolean;
  what: string;
}

const ZALO_ERRORS: Record<number, Classification> = {
  [-32]: { reason: 'rate_limited', retryable: true, what: 'rate limit reached' },
  [-100]: { reason: 'server_error', retryable: true, what: 'temporary failure (attachment expired or internal)' },
  [-201]: { reason: 'bad_request', retryable: false, what: 'invalid parameter' },
  [-209]: { reason: 'permission', retryable: false, what: 'app not active' },
  [-211]: { reason: 'quota', retryable: false, what: 'OA out of quota' },
  [-212]: { reason: 'permission', retryable: false, what: 'API not granted to the app' },
  [-213]: { reason: 'user_unavailable', retryable: false, what: 'user does not follow the OA' },
  [-216]: { reason: 'token_invalid', retryable: false, what: 'access token invalid' },
  [-217]: { reason: 'user_unavailable', retryable: false, what: 'user blocked the OA' },
  [-218]: { reason: 'quota', retryable: false, what: "user's receive quota reached" },
  [-220]: { reason: 'token_invalid', retryable: false, what: 'access token expired or revoked' },
  [-221]: { reason: 'permission', retryable: false, what: 'OA not verified' },
  [-224]: { reason: 'permission', retryable: false, what: 'OA tier too low' },
  [-227]: { reason: 'user_unavailable', retryable: false, what: 'user banned or inactive' },
  [-230]: { reason: 'window_closed', retryable: false, what: 'user has not interacted with the OA in 7 days' },
  [-232]: { reason: 'window_closed', retryable: false, what: 'messaging window closed' },
  // Zalo will not deliver this between 22:00 and 06:00. Retrying with backoff would spin all night, so it is
  // final here; the platform code -234 lets the outbound job plan it for the morning.
  [-234]: { reason: 'window_closed', retryable: false, what: 'not sendable between 22:00 and 06:00' },
  [-242]: { reason: 'permission', retryable: false, what: 'appsecret_proof required or wrong' },
  [-244]: { reason: 'user_unavailable', retryable: false, what: 'user restricted this message type' },
  [-320]: { reason: 'quota', retryable: false, what: 'billing account missing' },
  [-321]: { reason: 'quota', retryable: false, what: 'billing account empty' },
};

/** The SendError for a Zalo `error` code other than 0. */
export function classifyZaloError(code: number, zaloMessage?: string): SendError {
  const c = ZALO_ERRORS[code] ?? { reason: 'unknown', retryable: false, what: 'unrecognised error' };
  const detail = zaloMessage ? `: ${zaloMessage}` : '';
  return new SendError(c.reason, c.retryable, `Zalo error ${code} (${c.what})${detail}`, String(code));
}

/** One answer of Zalo's OpenAPI: `error` 0 with the message id, or Zalo's error code. */
export type ZaloAttempt = { ok: true; messageId?: string } | { ok: false; code: number; message?: string };

/**
 * POSTs to a Zalo OpenAPI endpoint (consultation messages, ZNS) with the OA token in the
 * `access_token` header. Throws a SendError for what is not a Zalo answer (network, 429, 5xx, a body
 * without `error`); Zalo's own refusals come back as `{ ok: false, code }` for the caller to classify.
 */
export async function postZaloApi(http: AxiosInstance, url: string, body: object, token: string, what: { name: string; idField: string }): Promise<ZaloAttempt> {
  let status: number;
  let data: unknown;
  try {
    const res = await http.post(url, body, { headers: { access_token: token, 'Content-Type': 'application/json' }, timeout: SEND_TIMEOUT_MS, validateStatus: () => true });
    status = res.status;
    data = res.data;
  } catch (e) {
    // A timeout may still have delivered (sends carry no idempotency key); the queue's retry policy decides.
    const code = (e as { code?: unknown }).code;
    throw new SendError('network', true, `${what.name} got no answer${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  if (status === 429) throw new SendError('rate_limited', true, `${what.name} answered HTTP 429`, 'http_429');
  if (status >= 500) throw new SendError('server_error', true, `${what.name} answered HTTP ${status}`, `http_${status}`);
  const reply = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const code = Number(reply.error);
  if (status < 200 || status >= 300 || reply.error === undefined || !Number.isInteger(code)) {
    throw new SendError('unknown', false, `${what.name} answered HTTP ${status} without an error code`, `http_${status}`);
  }
  if (code !== 0) return { ok: false, code, message: typeof reply.message === 'string' ? reply.message : undefined };
  const result = typeof reply.data === 'object' && reply.data !== null ? (reply.data as Record<string, unknown>) : {};
  const id = result[what.idField];
  return { ok: true, messageId: typeof id === 'string' ? id : undefined };
}

/** Tries with the current access token; when Zalo rejects it (`rejected` codes), refreshes once and tries again. */
export async function withTokenRefresh(tokens: ZaloTokenManager, rejected: ReadonlySet<number>, log: Logger, attempt: (token: string) => Promise<ZaloAttempt>): Promise<ZaloAttempt> {
  const token = await tokens.getAccessToken();
  const first = await attempt(token);
  if (first.ok || !rejected.has(first.code)) return first;
  log.warn({ code: first.code }, 'Zalo rejected the access token; refreshing once');
  return attempt(await tokens.refreshAfterRejection(token));
}

/**
 * Sends consultation (Tư vấn) messages through POST {apiBase}/v3.0/oa/message/cs. Zalo answers HTTP 200 for
 * most failures, so the `error` field decides. A rejected token (-216/-220) is refreshed once and the message
 * sent once more. Text over 2000 characters goes as several messages, in order.
 */
export function createZaloSender(
  config: ZaloConfig,
  deps: { tokens: ZaloTokenManager; http?: AxiosInstance; log: Logger },
): ChannelSender {
  const { tokens, log } = deps;
  const http = deps.http ?? platformHttp('zalo');

  async function sendOne(body: ZaloCsBody): Promise<SendResult> {
    const attempt = await withTokenRefresh(tokens, TOKEN_REJECTED, log, (token) =>
      postZaloApi(http, `${config.apiBase}/v3.0/oa/message/cs`, body, token, { name: 'Zalo', idField: 'message_id' }),
    );
    if (!attempt.ok) {
      const err = classifyZaloError(attempt.code, attempt.message);
      log.warn({ code: attempt.code, reason: err.reason, retryable: err.retryable }, 'Zalo refused a message');
      throw err;
    }
    return attempt.messageId === undefined ? {} : { platformMessageId: attempt.messageId };
  }

  return {
    channel: 'zalo',
    async send(userId, message) {
      // Zalo has no typing indicator: `typing` renders to nothing and costs no call.
      let result: SendResult = {};
      for (const body of renderZaloMessages(userId, message)) result = await sendOne(body);
      return result;
    },
  };
}
