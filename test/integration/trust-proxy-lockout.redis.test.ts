import request from 'supertest';
import type { RunningApp } from '../../src/main';
import { startTestApp } from '../helpers/app';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { deleteKeys, uniquePrefix } from '../helpers/redis';

const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
const PASSWORD = 'mat-khau-rat-dai-2026';

describe('the login lockout behind TRUST_PROXY', () => {
  // Six bcrypt comparisons and an app start a test: slow on a loaded machine.
  jest.setTimeout(90_000);
  let fake: Awaited<ReturnType<typeof startFakePlatforms>>;
  let prefix: string;
  let app: (RunningApp & { url: string }) | undefined;

  beforeEach(async () => {
    fake = await startFakePlatforms();
    prefix = uniquePrefix();
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await fake.close();
    await deleteKeys(prefix);
  });

  it('when TRUST_PROXY is unset and a client rotates X-Forwarded-For on every wrong password, then it is locked out after five all the same', async () => {
    app = await startTestApp({ prefix, fake, env: { ADMIN_TOKEN } });
    const created = await request(app.url).post('/admin/api/users').set('Authorization', `Bearer ${ADMIN_TOKEN}`).send({ username: 'lan', password: PASSWORD, role: 'viewer' });
    expect(created.status).toBe(201);
    for (let i = 1; i <= 5; i++) {
      const wrong = await request(app.url).post('/admin/api/login').set('X-Forwarded-For', `203.0.113.${i}`).send({ username: 'lan', password: `sai-${i}-mat-khau` });
      expect(wrong.status).toBe(401);
    }
    const sixth = await request(app.url).post('/admin/api/login').set('X-Forwarded-For', '198.51.100.77').send({ username: 'lan', password: PASSWORD });
    expect(sixth.status).toBe(429);
    expect(sixth.headers['set-cookie']).toBeUndefined();
  });

  it('when TRUST_PROXY=1 (one proxy in front), then the proxy-stated client address keys the lockout', async () => {
    app = await startTestApp({ prefix, fake, env: { ADMIN_TOKEN, TRUST_PROXY: '1' } });
    await request(app.url).post('/admin/api/users').set('Authorization', `Bearer ${ADMIN_TOKEN}`).send({ username: 'lan', password: PASSWORD, role: 'viewer' });
    for (let i = 1; i <= 5; i++) await request(app.url).post('/admin/api/login').set('X-Forwarded-For', '203.0.113.9').send({ username: 'lan', password: `sai-${i}-mat-khau` });
    expect((await request(app.url).post('/admin/api/login').set('X-Forwarded-For', '203.0.113.9').send({ username: 'lan', password: PASSWORD })).status).toBe(429);
    // Another office behind the same proxy is not locked out by it.
    expect((await request(app.url).post('/admin/api/login').set('X-Forwarded-For', '198.51.100.20').send({ username: 'lan', password: PASSWORD })).status).toBe(200);
  });

  it('when TRUST_PROXY=1 and a client writes its own X-Forwarded-For before the one the proxy appends, then rotating it does not escape the lockout', async () => {
    app = await startTestApp({ prefix, fake, env: { ADMIN_TOKEN, TRUST_PROXY: '1' } });
    await request(app.url).post('/admin/api/users').set('Authorization', `Bearer ${ADMIN_TOKEN}`).send({ username: 'lan', password: PASSWORD, role: 'viewer' });
    // The proxy appends the address it saw (203.0.113.9) to whatever the client sent.
    for (let i = 1; i <= 5; i++) {
      const wrong = await request(app.url).post('/admin/api/login').set('X-Forwarded-For', `10.0.0.${i}, 192.0.2.${i}, 203.0.113.9`).send({ username: 'lan', password: `sai-${i}-mat-khau` });
      expect(wrong.status).toBe(401);
    }
    const sixth = await request(app.url).post('/admin/api/login').set('X-Forwarded-For', '10.9.9.9, 203.0.113.9').send({ username: 'lan', password: PASSWORD });
    expect(sixth.status).toBe(429);
  });

  it('when TRUST_PROXY is not a hop count or a list of addresses, then the start refuses it', async () => {
    await expect(startTestApp({ prefix, fake, env: { TRUST_PROXY: 'everyone' } })).rejects.toThrow(/TRUST_PROXY must be false, a hop count/);
  });
});
