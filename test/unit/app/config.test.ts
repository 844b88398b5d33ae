import { ConfigError, loadConfig } from '../../../src/config';

const messenger = { MESSENGER_APP_SECRET: 'app-secret', MESSENGER_VERIFY_TOKEN: 'verify', MESSENGER_PAGE_ACCESS_TOKEN: 'page-token' };
const zalo = { ZALO_APP_ID: '3482', ZALO_APP_SECRET: 'zalo-app-secret', ZALO_OA_SECRET_KEY: 'oa-secret' };

describe('settings', () => {
  it('when nothing is set, then defaults apply and both channels are disabled with what is missing', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ role: 'all', port: 3000, redisUrl: 'redis://127.0.0.1:6379', flowsDir: 'flows', messenger: null, zalo: null, mongodbUri: undefined });
    expect(c.disabled).toEqual([
      { channel: 'messenger', missing: ['MESSENGER_APP_SECRET', 'MESSENGER_VERIFY_TOKEN', 'MESSENGER_PAGE_ACCESS_TOKEN'] },
      { channel: 'zalo', missing: ['ZALO_APP_ID', 'ZALO_APP_SECRET', 'ZALO_OA_SECRET_KEY'] },
    ]);
  });

  it('when a channel has its secrets, then it is enabled with the platform hosts as defaults', () => {
    const c = loadConfig({ ...messenger, ...zalo });
    expect(c.messenger).toEqual({ appSecret: 'app-secret', verifyToken: 'verify', pageAccessToken: 'page-token', apiBase: 'https://graph.facebook.com/v25.0' });
    expect(c.zalo).toMatchObject({ appId: '3482', apiBase: 'https://openapi.zalo.me', oauthBase: 'https://oauth.zaloapp.com' });
    expect(c.disabled).toEqual([]);
  });

  it('when the API hosts are set, then they are used without a trailing slash (tests point them at a fake)', () => {
    const c = loadConfig({ ...messenger, MESSENGER_API_BASE: 'http://127.0.0.1:9999/graph/v25.0/' });
    expect(c.messenger?.apiBase).toBe('http://127.0.0.1:9999/graph/v25.0');
  });

  it('when several settings are wrong, then every problem is reported at once', () => {
    let error: unknown;
    try {
      loadConfig({ ROLE: 'both', PORT: 'eighty', REDIS_URL: 'localhost:6379', MONGODB_URI: 'mysql://x', ADMIN_TOKEN: 'short', ZALO_API_BASE: 'not a url' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.join('\n');
    for (const name of ['ROLE', 'PORT', 'REDIS_URL', 'MONGODB_URI', 'ADMIN_TOKEN', 'ZALO_API_BASE']) expect(text).toContain(name);
    expect((error as ConfigError).problems).toHaveLength(6);
  });

  it('when a setting is an empty string, then it counts as unset', () => {
    expect(loadConfig({ ...messenger, MESSENGER_APP_SECRET: '', PORT: '' })).toMatchObject({ messenger: null, port: 3000 });
  });

  it('when the settings are loaded, then they cannot be changed afterwards', () => {
    const c = loadConfig(messenger);
    expect(() => {
      (c as { port: number }).port = 1;
    }).toThrow();
    expect(Object.isFrozen(c.messenger)).toBe(true);
  });
});
