import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type { RunningApp } from '../../src/main';
import { createMemoryStores } from '../../src/store/memory';
import { SECRETS, startTestApp } from '../helpers/app';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { messengerTextBody } from '../helpers/messenger-bodies';
import { deleteKeys, uniquePrefix } from '../helpers/redis';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
const mainMenu = readFileSync(join(__dirname, '../../flows/main-menu.yaml'), 'utf8');

describe('publishing a flow without a deploy', () => {
  let fake: Awaited<ReturnType<typeof startFakePlatforms>>;
  let prefix: string;
  let web: RunningApp & { url: string };
  let worker: RunningApp & { url: string };

  beforeEach(async () => {
    fake = await startFakePlatforms();
    prefix = uniquePrefix();
    // Two processes sharing one store, as with MongoDB: the admin publishes on the web one,
    // the worker one answers citizens.
    const stores = createMemoryStores();
    web = await startTestApp({ prefix, fake, role: 'web', stores, env: { ADMIN_TOKEN } });
    worker = await startTestApp({ prefix, fake, role: 'worker', stores, env: { ADMIN_TOKEN } });
  });

  afterEach(async () => {
    await web.stop();
    await worker.stop();
    await fake.close();
    await deleteKeys(prefix);
  });

  const publish = (id: string, source: unknown, token = ADMIN_TOKEN) => request(web.url).post(`/admin/api/flows/${id}`).set('Authorization', `Bearer ${token}`).send({ source });

  async function greet(psid: string): Promise<string> {
    const { raw, signature } = messengerTextBody({ psid, mid: `m_${psid}`, text: 'Xin chào' }, SECRETS.MESSENGER_APP_SECRET);
    expect((await request(web.url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signature).send(raw)).status).toBe(200);
    const to = () => fake.sent('messenger').filter((r) => (r.body.recipient as { id: string }).id === psid);
    await fake.waitFor(() => to().some((r) => JSON.stringify(r.body).includes('MENU_PROCEDURES')));
    return JSON.stringify(to().map((r) => r.body));
  }

  it('when there is no token or a wrong one, then 401 and nothing is published', async () => {
    expect((await request(web.url).post('/admin/api/flows/main-menu').send({ source: mainMenu })).status).toBe(401);
    expect((await publish('main-menu', mainMenu, 'wrong-token-wrong-token-wrong!!')).status).toBe(401);
    expect(await web.stores.flows.history('main-menu')).toEqual([]);
  });

  it('when an admin publishes a changed greeting, then new conversations in every process get it', async () => {
    expect(await greet('before-1')).toContain('Kính chào ông/bà');
    const changed = mainMenu.replace('Kính chào ông/bà!', 'Xin kính chào bà con!');
    const res = await publish('main-menu', changed);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ flowId: 'main-menu', version: 1 });
    // The worker process picks it up from the store on its next refresh (every 3 s).
    const deadline = Date.now() + 8000;
    let text = '';
    for (let i = 0; Date.now() < deadline; i++) {
      text = await greet(`after-${i}`);
      if (text.includes('Xin kính chào bà con!')) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(text).toContain('Xin kính chào bà con!');
  });

  it('when the YAML is invalid, then 400 with the problems and their lines, nothing is stored, and citizens keep the current flow', async () => {
    const broken = mainMenu.replace('    next: menu', '    next: [menu');
    const res = await publish('main-menu', broken);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.problems[0]).toMatchObject({ file: 'main-menu (draft)', line: expect.any(Number) });
    expect(await web.stores.flows.history('main-menu')).toEqual([]);
    expect(await greet('kept-1')).toContain('Kính chào ông/bà');
  });

  it('when a change would clash with another flow or jump nowhere, then it is refused with the reason', async () => {
    const booking = readFileSync(join(__dirname, '../../flows/booking.yaml'), 'utf8');
    // Claiming Get Started would take the greeting away from main-menu.
    const stealing = booking.replace('triggers:\n', 'triggers:\n  - payload: GET_STARTED\n');
    const res = await publish('booking', stealing);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error.problems)).toContain('payload GET_STARTED is also a trigger of booking (draft)');
    const procedures = readFileSync(join(__dirname, '../../flows/procedures.yaml'), 'utf8');
    const dangling = await publish('procedures', procedures.replace('goto: { flow: booking }', 'goto: { flow: dat-lich }'));
    expect(dangling.status).toBe(400);
    expect(JSON.stringify(dangling.body.error.problems)).toContain('jumps to flow \\"dat-lich\\", which does not exist');
    expect(await web.stores.flows.history('booking')).toEqual([]);
    expect(await web.stores.flows.history('procedures')).toEqual([]);
  });

  it('when the source names another flow id, or the body is not {source}, then 400', async () => {
    expect((await publish('booking', mainMenu)).status).toBe(400);
    const res = await request(web.url).post('/admin/api/flows/main-menu').set('Authorization', `Bearer ${ADMIN_TOKEN}`).send({ source: { $gt: '' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('when the admin lists and reads flows, then each shows where it comes from and its published history', async () => {
    const list = await request(web.url).get('/admin/api/flows').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(list.status).toBe(200);
    expect(list.body.flows).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'main-menu', from: 'main-menu.yaml' })]));
    await publish('main-menu', mainMenu.replace('Kính chào ông/bà!', 'Kính chào!'));
    const one = await request(web.url).get('/admin/api/flows/main-menu').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(one.body).toMatchObject({ id: 'main-menu', from: 'main-menu@1', history: [{ version: 1, publishedBy: 'admin-token' }] });
    expect(one.body.source).toContain('Kính chào!');
  });
});
