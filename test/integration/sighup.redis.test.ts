import { SECRETS } from '../helpers/app';
import { freePort, startChildApp } from '../helpers/child-app';
import { TEST_REDIS_URL, deleteKeys, uniquePrefix } from '../helpers/redis';

describe('closing the terminal of `npm start`', () => {
  jest.setTimeout(60_000);
  const prefix = uniquePrefix();
  afterAll(() => deleteKeys(prefix));

  it('when the app gets SIGHUP, then it drains and exits 0 like on SIGTERM', async () => {
    const port = await freePort();
    const app = await startChildApp({ ...SECRETS, PORT: String(port), REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix });
    app.child.kill('SIGHUP');
    expect(await app.exited).toBe(0);
    expect(app.output()).toContain('"signal":"SIGHUP"');
    expect(app.output()).toContain('"msg":"stopped"');
  });
});
