import type { AxiosInstance } from 'axios';
import { platformHttp } from '../http-client';
import type { ZaloConfig } from '../../config';
import type { Clock } from '../../shared/clock';
import type { DistributedLock } from '../../shared/lock';
import type { Logger } from '../../shared/logger';
import type { TokenPair, TokenStore } from '../../store/ports/tokens';
import { SendError } from '../types';

/** The name of the OA's pair in the token store. */
export const ZALO_TOKEN_NAME = 'zalo';
/** The lock every process takes before refreshing. */
export const ZALO_TOKEN_LOCK = 'zalo-token';
/** Zalo's v4 access tokens live 25 h; a seed pair from the settings is assumed to live that long from first use. */
export const ZALO_ACCESS_LIFETIME_MS = 25 * 60 * 60 * 1000;

const OAUTH_TIMEOUT_MS = 10_000;

export interface ZaloTokenManager {
  /** A current OA access token: from memory, else the store, refreshed first when it is about to expire. */
  getAccessToken(): Promise<string>;
  /**
   * A token to retry with after Zalo rejected `rejectedToken` (-216/-220): the one another process already
   * rotated to, or a freshly refreshed one. Throws SendError('token_invalid') when Zalo refuses the refresh.
   */
  refreshAfterRejection(rejectedToken: string): Promise<string>;
}

export interface ZaloTokenManagerOptions {
  config: ZaloConfig;
  store: TokenStore;
  lock: DistributedLock;
  clock: Clock;
  /** default: a fresh axios instance */
  http?: AxiosInstance;
  log: Logger;
  /** refresh this long before the access token expires; default 10 minutes */
  refreshAheadMs?: number;
  /** how long a process waits while another refreshes; default 15 s */
  lockWaitMs?: number;
}

/**
 * Keeps the OA access token current across every process. Zalo's refresh tokens are single-use, so one process
 * refreshes at a time (under ZALO_TOKEN_LOCK), re-reads the store once it holds the lock, and persists the new
 * pair before anyone uses it: a crash after the refresh never loses the only valid refresh token.
 *
 * Seeding: while the store holds no pair, the settings' ZALO_ACCESS_TOKEN/ZALO_REFRESH_TOKEN are used as they
 * are. Their age is unknown, so the access token is assumed to expire 25 h after this process first used it;
 * if it is older, Zalo answers -216 and the sender's refreshAfterRejection rotates it. The seed is never
 * written to the store by itself: a stale setting must not overwrite a pair another process rotated.
 */
export function createZaloTokenManager(opts: ZaloTokenManagerOptions): ZaloTokenManager {
  const { config, store, lock, clock, log, refreshAheadMs = 10 * 60 * 1000, lockWaitMs = 15_000 } = opts;
  const http = opts.http ?? platformHttp('zalo');
  let cached: TokenPair | null = null;
  let seed: TokenPair | null = null;
  let inflight: Promise<TokenPair> | null = null;

  const usable = (p: TokenPair) => p.accessExpiresAt - refreshAheadMs > clock.now();

  async function readCurrent(): Promise<TokenPair> {
    const record = await store.get(ZALO_TOKEN_NAME);
    if (record) return record.current;
    if (!config.accessToken || !config.refreshToken) {
      throw new SendError('token_invalid', false, 'no Zalo OA token: set ZALO_ACCESS_TOKEN and ZALO_REFRESH_TOKEN, or authorize the OA');
    }
    const now = clock.now();
    seed ??= { accessToken: config.accessToken, refreshToken: config.refreshToken, obtainedAt: now, accessExpiresAt: now + ZALO_ACCESS_LIFETIME_MS };
    return seed;
  }

  function refreshOnce(stale: string, why: 'expiring' | 'rejected'): Promise<TokenPair> {
    // Concurrent sends in this process share one refresh instead of queueing on the lock one by one.
    inflight ??= refreshAcrossProcesses(stale, why).finally(() => {
      inflight = null;
    });
    return inflight;
  }

  async function refreshAcrossProcesses(stale: string, why: 'expiring' | 'rejected'): Promise<TokenPair> {
    const outcome = await lock.run(
      ZALO_TOKEN_LOCK,
      async () => {
        // Another process may have rotated while this one waited: the refresh token this one knew is then
        // spent, and the stored pair is the one to use.
        const current = await readCurrent();
        if (current.accessToken !== stale && usable(current)) return current;
        const next = await requestRefresh(current.refreshToken, why);
        await store.rotate(ZALO_TOKEN_NAME, next);
        return next;
      },
      { ttlMs: 60_000, waitMs: lockWaitMs },
    );
    let pair: TokenPair;
    if (outcome.acquired) pair = outcome.value;
    else {
      const current = await readCurrent();
      if (current.accessToken === stale) {
        throw new SendError('unknown', true, 'timed out waiting for another process to refresh the Zalo token');
      }
      pair = current;
    }
    cached = pair;
    return pair;
  }

  async function requestRefresh(refreshToken: string, why: 'expiring' | 'rejected'): Promise<TokenPair> {
    const started = clock.now();
    const form = new URLSearchParams({ refresh_token: refreshToken, app_id: config.appId, grant_type: 'refresh_token' });
    let status: number;
    let data: unknown;
    try {
      const res = await http.post(`${config.oauthBase}/v4/oa/access_token`, form.toString(), {
        headers: { secret_key: config.appSecret, 'Content-Type': 'application/x-www-form-urlencoded' },
        timeout: OAUTH_TIMEOUT_MS,
        validateStatus: () => true,
      });
      status = res.status;
      data = res.data;
    } catch (e) {
      // Only the code: axios errors carry the request, and with it the secret and the refresh token.
      log.error({ why, code: (e as { code?: unknown }).code }, 'Zalo token refresh got no answer');
      throw new SendError('network', true, 'Zalo OAuth did not answer the token refresh');
    }
    if (status >= 500) {
      log.error({ why, status }, 'Zalo token refresh failed on the server side');
      throw new SendError('server_error', true, `Zalo OAuth answered HTTP ${status}`, `http_${status}`);
    }
    const reply = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
    const { access_token: accessToken, refresh_token: nextRefresh, expires_in: expiresIn } = reply;
    if (status !== 200 || typeof accessToken !== 'string' || accessToken === '' || typeof nextRefresh !== 'string' || nextRefresh === '') {
      const code = typeof reply.error === 'number' || typeof reply.error === 'string' ? String(reply.error) : `http_${status}`;
      const errorName = typeof reply.error_name === 'string' ? reply.error_name : undefined;
      log.error({ why, status, code, errorName }, 'Zalo refused the token refresh: the OA must be authorized again');
      throw new SendError('token_invalid', false, `Zalo OAuth refused the token refresh (${code}${errorName ? ` ${errorName}` : ''})`, code);
    }
    // expires_in arrives as a string of seconds ("90000").
    const seconds = Number(expiresIn);
    const lifetimeMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : ZALO_ACCESS_LIFETIME_MS;
    const pair: TokenPair = { accessToken, refreshToken: nextRefresh, obtainedAt: started, accessExpiresAt: started + lifetimeMs };
    log.info({ why, accessExpiresAt: pair.accessExpiresAt }, 'Zalo token refreshed');
    return pair;
  }

  return {
    async getAccessToken() {
      if (cached && usable(cached)) return cached.accessToken;
      const current = await readCurrent();
      cached = current;
      if (usable(current)) return current.accessToken;
      return (await refreshOnce(current.accessToken, 'expiring')).accessToken;
    },
    async refreshAfterRejection(rejectedToken) {
      if (cached && cached.accessToken !== rejectedToken && usable(cached)) return cached.accessToken;
      return (await refreshOnce(rejectedToken, 'rejected')).accessToken;
    },
  };
}
