/**
 * The Zalo OAuth refresh as it goes over the wire, intercepted with nock at the HTTP layer (the
 * request the real host would get: form body, secret_key header), within one process: a lock that is
 * always free, the recording token store of fakes.ts. Rotation across processes is tested on real
 * Redis in test/integration/zalo-token-rotation.test.ts.
 */
import nock from 'nock';
import { createZaloTokenManager } from '../../../../src/channels/zalo/tokens';
import { isSendError } from '../../../../src/channels/types';
import { fixedClock } from '../../../../src/shared/clock';
import type { DistributedLock } from '../../../../src/shared/lock';
import { recordingLogger, RecordingTokenStore, zaloTestConfig, type LogLine } from './fakes';

const OAUTH_HOST = 'https://oauth.zaloapp.com';
const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const freeLock: DistributedLock = { run: async (_name, fn) => ({ acquired: true, value: await fn() }) };

/** A manager seeded from the settings' token pair, as on a first start. */
function manager(lines: LogLine[], store = new RecordingTokenStore()) {
  const config = zaloTestConfig({ oauthBase: OAUTH_HOST, accessToken: 'seed-access', refreshToken: 'seed-refresh' });
  return { config, store, tokens: createZaloTokenManager({ config, store, lock: freeLock, clock: fixedClock(T0), log: recordingLogger(lines) }) };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  // take nock's interceptor out of node:http, so the suites after this one in the same worker use real sockets
  nock.restore();
});

describe('Zalo OA token refresh over HTTP', () => {
  it('when the access token was rejected, then the refresh token is posted as a form with the app secret in secret_key, and the new pair is used and stored', async () => {
    const lines: LogLine[] = [];
    const { config, store, tokens } = manager(lines);
    let form = '';
    const scope = nock(OAUTH_HOST)
      .matchHeader('secret_key', config.appSecret)
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .post('/v4/oa/access_token', (body: string) => {
        form = body;
        return true;
      })
      .reply(200, { access_token: 'new-access', refresh_token: 'new-refresh', expires_in: '90000' });

    expect(await tokens.refreshAfterRejection('seed-access')).toBe('new-access');
    scope.done();
    expect(Object.fromEntries(new URLSearchParams(form))).toEqual({ refresh_token: 'seed-refresh', app_id: config.appId, grant_type: 'refresh_token' });
    const stored = await store.get('zalo');
    expect(stored?.current).toMatchObject({ accessToken: 'new-access', refreshToken: 'new-refresh', accessExpiresAt: T0 + 90_000_000 });
    // neither secret nor token in the log
    const logged = JSON.stringify(lines);
    for (const secret of [config.appSecret, 'seed-refresh', 'new-refresh', 'new-access']) expect(logged).not.toContain(secret);
  });

  it('when Zalo refuses the refresh token, then a final token_invalid SendError and nothing stored', async () => {
    const lines: LogLine[] = [];
    const { store, tokens } = manager(lines);
    nock(OAUTH_HOST).post('/v4/oa/access_token').reply(200, { error: -14014, error_name: 'Invalid refresh token', error_description: 'Invalid refresh token' });
    const err = await tokens.refreshAfterRejection('seed-access').then(() => null, (e: unknown) => e);
    expect(isSendError(err) && { reason: err.reason, retryable: err.retryable }).toEqual({ reason: 'token_invalid', retryable: false });
    expect(await store.get('zalo')).toBeNull();
  });

  it('when Zalo OAuth answers 502, then a retryable server_error, so the send is tried again later', async () => {
    const { tokens } = manager([]);
    nock(OAUTH_HOST).post('/v4/oa/access_token').reply(502, 'Bad Gateway');
    const err = await tokens.refreshAfterRejection('seed-access').then(() => null, (e: unknown) => e);
    expect(isSendError(err) && { reason: err.reason, retryable: err.retryable }).toEqual({ reason: 'server_error', retryable: true });
  });
});
