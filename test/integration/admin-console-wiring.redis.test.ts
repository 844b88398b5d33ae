import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { SECRETS, startTestApp } from '../helpers/app';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { deleteKeys, uniquePrefix } from '../helpers/redis';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

describe('the admin console in the running application', () => {
  it('when the first admin is created with ADMIN_TOKEN and logs in, then the console page and the session work, and a request without a login is refused', async () => {
    const fake = await startFakePlatforms();
    const prefix = uniquePrefix();
    const app = await startTestApp({ prefix, fake, env: { ADMIN_TOKEN } });
    try {
      expect((await request(app.url).get('/admin/api/cases.csv')).status).toBe(401);
      const setup = await request(app.url).post('/admin/api/setup').set('Authorization', `Bearer ${ADMIN_TOKEN}`).send({ username: 'chu-tich', password: 'mat-khau-rat-dai-2026' });
      expect(setup.status).toBeLessThan(300);
      const login = await request(app.url).post('/admin/api/login').send({ username: 'chu-tich', password: 'mat-khau-rat-dai-2026' });
      expect(login.status).toBe(200);
      const cookie = login.headers['set-cookie'];
      expect(String(cookie)).toMatch(/HttpOnly/i);
      const session = await request(app.url).get('/admin/api/session').set('Cookie', cookie);
      expect(session.status).toBe(200);
      expect(JSON.stringify(session.body)).toContain('admin');
      // The running app hands its job queues and its pending notices to the console.
      const board = await request(app.url).get('/admin/queues/api/queues').set('Cookie', cookie).set('Accept', 'application/json');
      expect(board.status).toBe(200);
      const names = (board.body.queues as { name: string }[]).map((q) => q.name);
      expect(names).toEqual(expect.arrayContaining(['inbound', 'outbound', 'effects', 'case-deadlines', 'appointment-reminders', 'result-dates', 'handoffs']));
      const pending = await request(app.url).get('/admin/api/pending-notices').set('Cookie', cookie);
      expect(pending.status).toBe(200);
      expect(pending.body).toEqual({ people: [], count: 0 });
      // The try panel runs the catalogue's read-only actions for real, and nothing that writes.
      const tryTurn = (state: unknown, input: object) =>
        request(app.url).post('/admin/api/flows/main-menu/try').set('Cookie', cookie).set('X-CSRF-Token', login.body.csrf).send({ source: readFileSync(join(__dirname, '../../flows/main-menu.yaml'), 'utf8'), state, input });
      const hello = await tryTurn(null, { type: 'text', text: 'xin chao' });
      expect(hello.status).toBe(200);
      const list = await tryTurn(hello.body.state, { type: 'text', text: 'Thủ tục hành chính', payload: 'MENU_PROCEDURES' });
      expect(list.status).toBe(200);
      expect(list.body.replies.map((r: { kind: string }) => r.kind)).not.toContain('trial-action');
      expect(JSON.stringify(list.body.replies)).toMatch(/khai sinh|Khai sinh/);
      const page = await request(app.url).get('/admin');
      expect(page.status).toBe(200);
      expect(page.text).toContain('<html');
      // The webhook path is untouched by the console's parsers.
      expect((await request(app.url).get('/webhooks/messenger').query({ 'hub.mode': 'subscribe', 'hub.verify_token': SECRETS.MESSENGER_VERIFY_TOKEN, 'hub.challenge': '42' })).text).toBe('42');
    } finally {
      await app.stop();
      await fake.close();
      await deleteKeys(prefix);
    }
  });
});
