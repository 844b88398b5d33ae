import { loadConfig } from '../../src/config';
import { startApp, type RunningApp } from '../../src/main';
import { silentLogger } from '../../src/shared/logger';
import type { Stores } from '../../src/store/ports';
import { TEST_REDIS_URL } from './redis';

export const SECRETS = {
  MESSENGER_APP_SECRET: 'test-app-secret',
  MESSENGER_VERIFY_TOKEN: 'test-verify-token',
  MESSENGER_PAGE_ACCESS_TOKEN: 'test-page-token',
  ZALO_APP_ID: '3482194723018473011',
  ZALO_APP_SECRET: 'test-zalo-app-secret',
  ZALO_OA_SECRET_KEY: 'test-oa-secret-key',
  ZALO_ACCESS_TOKEN: 'AT-1',
  ZALO_REFRESH_TOKEN: 'RT-1',
};

/** The whole application on port 0 against the fake platforms and a real Redis under `prefix`. */
export async function startTestApp(opts: {
  prefix: string;
  fake: { messengerBase: string; zaloBase: string; zaloOauthBase: string };
  role?: 'all' | 'web' | 'worker';
  stores?: Stores;
  env?: Record<string, string>;
}): Promise<RunningApp & { url: string }> {
  const config = loadConfig({
    ...SECRETS,
    PORT: '0',
    ROLE: opts.role ?? 'all',
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: opts.prefix,
    MESSENGER_API_BASE: opts.fake.messengerBase,
    ZALO_API_BASE: opts.fake.zaloBase,
    ZALO_OAUTH_BASE: opts.fake.zaloOauthBase,
    ...opts.env,
  });
  const app = await startApp(config, { log: silentLogger, stores: opts.stores });
  return Object.assign(app, { url: `http://127.0.0.1:${app.port}` });
}
