import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { createZaloSender } from '../../src/channels/zalo/send';
import { createZaloTokenManager, ZALO_TOKEN_NAME, type ZaloTokenManager } from '../../src/channels/zalo/tokens';
import { isSendError, type SendError } from '../../src/channels/types';
import type { ZaloConfig } from '../../src/config';
import { createRedisLock } from '../../src/jobs/redis-lock';
import { fixedClock, type Clock } from '../../src/shared/clock';
import type { TokenPair } from '../../src/store/ports/tokens';
import { recordingLogger, RecordingTokenStore, USER_ID, zaloTestConfig, type LogLine } from '../unit/channels/zalo/fakes';
import { startFakeZaloServer, type FakeZaloServer } from '../unit/channels/zalo/fake-zalo-server';

// Token rotation across "processes": each manager has its own ioredis connection, lock client and memory
// cache; they share one token store and one Redis, as web and worker processes do in production.

const OAUTH = '/v4/oa/access_token';
const SEND = '/v3.0/oa/message/cs';
const HOUR = 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);

const prefix = `t-${randomUUID()}`;
let connections: Redis[] = [];
let zalo: FakeZaloServer;
let config: ZaloConfig;
let events: string[];
let store: RecordingTokenStore;
let logLines: LogLine[];

function pair(accessToken: string, refreshToken: string, accessExpiresAt: number): TokenPair {
  return { accessToken, refreshToken, accessExpiresAt, obtainedAt: accessExpiresAt - 25 * HOUR };
}

/** One "process": its own Redis connection and lock client, its own token cache. */
function processManager(clock: Clock, overrides: Partial<ZaloConfig> = {}): ZaloTokenManager {
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  connections.push(redis);
  return createZaloTokenManager({
    config: { ...config, ...overrides },
    store,
    lock: createRedisLock(redis, { prefix }),
    clock,
    log: recordingLogger(logLines),
  });
}

const oauthCalls = () => zalo.requests.filter((r) => r.path === OAUTH);
const rotated = (accessToken: string, refreshToken: string, expiresIn = '90000') => ({
  status: 200,
  json: { access_token: accessToken, refresh_token: refreshToken, expires_in: expiresIn },
});

async function sendError(p: Promise<unknown>): Promise<SendError> {
  try {
    await p;
  } catch (e) {
    if (isSendError(e)) return e;
    throw e;
  }
  throw new Error('expected a SendError');
}

beforeEach(async () => {
  zalo = await startFakeZaloServer();
  config = zaloTestConfig({ apiBase: zalo.url, oauthBase: zalo.url });
  events = [];
  logLines = [];
  store = new RecordingTokenStore(events);
  zalo.onRequest = (r) => {
    if (r.path === OAUTH) events.push(`oauth:${new URLSearchParams(r.body).get('refresh_token')}`);
    else events.push(`send:${String(r.headers['access_token'])}`);
  };
});

afterEach(async () => {
  await zalo.close();
  const cleaner = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  const keys = await cleaner.keys(`${prefix}:*`);
  if (keys.length > 0) await cleaner.del(...keys);
  await cleaner.quit();
  await Promise.all(connections.map((c) => c.quit()));
  connections = [];
});

describe('Zalo token rotation on Redis', () => {
  test('when a send gets -216, then the token is refreshed once, persisted, and only then used for the retry', async () => {
    const clock = fixedClock(T0);
    store.seed(ZALO_TOKEN_NAME, pair('AT1', 'RT1', T0 + 20 * HOUR));
    zalo.script(SEND, { status: 200, json: { error: -216, message: 'Access token is invalid' } }, { status: 200, json: { error: 0, data: { message_id: 'mid-2' } } });
    zalo.script(OAUTH, rotated('AT2', 'RT2'));
    const tokens = processManager(clock);
    const sender = createZaloSender(config, { tokens, log: recordingLogger(logLines) });

    const result = await sender.send(USER_ID, { type: 'text', text: 'Lịch hẹn của anh: 9:00 thứ Hai' });

    expect(result).toEqual({ platformMessageId: 'mid-2' });
    expect(events).toEqual(['send:AT1', 'oauth:RT1', 'rotate:AT2/RT2', 'send:AT2']);
    const record = await store.get(ZALO_TOKEN_NAME);
    expect(record?.current).toEqual({ accessToken: 'AT2', refreshToken: 'RT2', obtainedAt: T0, accessExpiresAt: T0 + 90_000_000 });
    expect(record?.previous?.refreshToken).toBe('RT1');
    expect(zalo.pending()).toEqual([]);
  });

  test('when the refresh is sent, then it is the form Zalo expects with the App Secret as secret_key', async () => {
    const clock = fixedClock(T0);
    store.seed(ZALO_TOKEN_NAME, pair('AT1', 'RT1', T0 - 1));
    zalo.script(OAUTH, rotated('AT2', 'RT2'));

    await processManager(clock).getAccessToken();

    const [call] = oauthCalls();
    expect(call.method).toBe('POST');
    expect(call.headers['secret_key']).toBe(config.appSecret);
    expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(call.body).toBe(`refresh_token=RT1&app_id=${config.appId}&grant_type=refresh_token`);
  });

  test('when two processes race on an expired token, then exactly one OAuth call happens and both use its token', async () => {
    const clock = fixedClock(T0);
    store.seed(ZALO_TOKEN_NAME, pair('AT1', 'RT1', T0 - 1000));
    // Slow enough that the second process is surely waiting on the lock while the first refreshes.
    zalo.script(OAUTH, { ...rotated('AT2', 'RT2'), delayMs: 300 });
    const a = processManager(clock);
    const b = processManager(clock);

    const tokens = await Promise.all([a.getAccessToken(), b.getAccessToken()]);

    expect(tokens).toEqual(['AT2', 'AT2']);
    expect(oauthCalls()).toHaveLength(1);
    expect(zalo.pending()).toEqual([]);
    expect(store.rotations.map((r) => r.refreshToken)).toEqual(['RT2']);
    // Afterwards both answer from memory: no second call, and nothing unscripted reached the fake.
    await expect(Promise.all([a.getAccessToken(), b.getAccessToken()])).resolves.toEqual(['AT2', 'AT2']);
    expect(zalo.requests).toHaveLength(1);
  });

  test('when two processes both see -216 for the same token, then one refreshes and the other reuses the stored pair', async () => {
    const clock = fixedClock(T0);
    store.seed(ZALO_TOKEN_NAME, pair('AT1', 'RT1', T0 + 20 * HOUR));
    zalo.script(OAUTH, { ...rotated('AT2', 'RT2'), delayMs: 200 });
    const a = processManager(clock);
    const b = processManager(clock);
    await Promise.all([a.getAccessToken(), b.getAccessToken()]);

    const tokens = await Promise.all([a.refreshAfterRejection('AT1'), b.refreshAfterRejection('AT1')]);

    expect(tokens).toEqual(['AT2', 'AT2']);
    expect(oauthCalls()).toHaveLength(1);
    expect(store.rotations).toHaveLength(1);
  });

  test('when another process already rotated, then a rejection reuses the stored token without calling OAuth', async () => {
    const clock = fixedClock(T0);
    store.seed(ZALO_TOKEN_NAME, pair('AT1', 'RT1', T0 + 20 * HOUR));
    const a = processManager(clock);
    expect(await a.getAccessToken()).toBe('AT1');
    await store.rotate(ZALO_TOKEN_NAME, pair('AT9', 'RT9', T0 + 25 * HOUR));

    await expect(a.refreshAfterRejection('AT1')).resolves.toBe('AT9');
    expect(oauthCalls()).toHaveLength(0);
  });

  test('when the token is 11 minutes from expiry, then it is used; at 9 minutes, then it is refreshed ahead', async () => {
    const clock = fixedClock(T0);
    store.seed(ZALO_TOKEN_NAME, pair('AT1', 'RT1', T0 + 11 * 60_000));
    zalo.script(OAUTH, rotated('AT2', 'RT2'));
    const tokens = processManager(clock);

    await expect(tokens.getAccessToken()).resolves.toBe('AT1');
    expect(oauthCalls()).toHaveLength(0);

    clock.advance(2 * 60_000);
    await expect(tokens.getAccessToken()).resolves.toBe('AT2');
    expect(oauthCalls()).toHaveLength(1);
    expect((await store.get(ZALO_TOKEN_NAME))?.current.accessExpiresAt).toBe(T0 + 2 * 60_000 + 90_000 * 1000);

    clock.advance(24 * HOUR);
    await expect(tokens.getAccessToken()).resolves.toBe('AT2');
    expect(oauthCalls()).toHaveLength(1);
  });

  test('when Zalo OAuth answers -14014, then SendError token_invalid, nothing is persisted and no token is logged', async () => {
    const clock = fixedClock(T0);
    store.seed(ZALO_TOKEN_NAME, pair('AT1', 'RT1', T0 - 1));
    zalo.script(OAUTH, { status: 200, json: { error: -14014, error_name: 'Invalid refresh token.', error_reason: 'refresh_token RT1 is invalid' } });

    const err = await sendError(processManager(clock).getAccessToken());

    expect([err.name, err.reason, err.retryable, err.platformCode]).toEqual(['SendError', 'token_invalid', false, '-14014']);
    expect(store.rotations).toEqual([]);
    expect((await store.get(ZALO_TOKEN_NAME))?.current.refreshToken).toBe('RT1');
    expect(logLines.some((l) => l.level === 'error')).toBe(true);
    expect(JSON.stringify(logLines)).not.toMatch(/AT1|RT1|app-secret-for-tests/);
  });

  test('when the send is rejected and the refresh refused, then the send fails token_invalid without a resend', async () => {
    const clock = fixedClock(T0);
    store.seed(ZALO_TOKEN_NAME, pair('AT1', 'RT1', T0 + HOUR));
    zalo.script(SEND, { status: 200, json: { error: -216, message: 'Access token is invalid' } });
    zalo.script(OAUTH, { status: 200, json: { error: -14014, error_name: 'Invalid refresh token.' } });
    const sender = createZaloSender(config, { tokens: processManager(clock), log: recordingLogger(logLines) });

    const err = await sendError(sender.send(USER_ID, { type: 'text', text: 'x' }));

    expect([err.reason, err.retryable]).toEqual(['token_invalid', false]);
    expect(events).toEqual(['send:AT1', 'oauth:RT1']);
    expect(store.rotations).toEqual([]);
  });

  test('when OAuth does not answer, then a retryable error and nothing persisted', async () => {
    const clock = fixedClock(T0);
    store.seed(ZALO_TOKEN_NAME, pair('AT1', 'RT1', T0 - 1));
    zalo.script(OAUTH, { destroy: true });

    const err = await sendError(processManager(clock).getAccessToken());

    expect([err.reason, err.retryable]).toEqual(['network', true]);
    expect(store.rotations).toEqual([]);
  });

  test('when the store is empty, then the settings pair is used as is and its first refresh is persisted', async () => {
    const clock = fixedClock(T0);
    zalo.script(OAUTH, rotated('AT2', 'RT2'));
    const tokens = processManager(clock, { accessToken: 'AT-env', refreshToken: 'RT-env' });

    await expect(tokens.getAccessToken()).resolves.toBe('AT-env');
    expect(zalo.requests).toHaveLength(0);
    expect(await store.get(ZALO_TOKEN_NAME)).toBeNull();

    await expect(tokens.refreshAfterRejection('AT-env')).resolves.toBe('AT2');
    expect(events).toEqual(['oauth:RT-env', 'rotate:AT2/RT2']);
    expect((await store.get(ZALO_TOKEN_NAME))?.current.refreshToken).toBe('RT2');
  });

  test('when the settings pair is never rejected, then it is refreshed ahead 25 h after first use', async () => {
    const clock = fixedClock(T0);
    zalo.script(OAUTH, rotated('AT2', 'RT2'));
    const tokens = processManager(clock, { accessToken: 'AT-env', refreshToken: 'RT-env' });
    await tokens.getAccessToken();

    clock.advance(25 * HOUR - 11 * 60_000);
    await expect(tokens.getAccessToken()).resolves.toBe('AT-env');
    clock.advance(2 * 60_000);
    await expect(tokens.getAccessToken()).resolves.toBe('AT2');
  });

  test('when neither the store nor the settings hold a token, then SendError token_invalid', async () => {
    const err = await sendError(processManager(fixedClock(T0)).getAccessToken());
    expect([err.reason, err.retryable]).toEqual(['token_invalid', false]);
  });
});
