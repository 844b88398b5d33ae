import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Redis } from 'ioredis';
import request from 'supertest';
import type { RunningApp } from '../../src/main';
import { createMemoryStores } from '../../src/store/memory';
import { SECRETS, startTestApp } from '../helpers/app';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { messengerTextBody } from '../helpers/messenger-bodies';
import { TEST_REDIS_URL, deleteKeys, uniquePrefix } from '../helpers/redis';
import { signMessengerBody } from '../../src/channels/messenger';
import { untilIdle } from '../helpers/until';

const MENU_PAYLOADS = ['MENU_PROCEDURES', 'MENU_PETITION', 'MENU_BOOK', 'MENU_LOOKUP', 'MENU_OFFICIAL'];

function zaloSigned(raw: string) {
  const body = JSON.parse(raw) as { app_id: string; timestamp: string };
  return `mac=${createHash('sha256').update(body.app_id + raw + body.timestamp + SECRETS.ZALO_OA_SECRET_KEY).digest('hex')}`;
}

describe('webhooks into the running application', () => {
  let fake: Awaited<ReturnType<typeof startFakePlatforms>>;
  let prefix: string;
  let app: RunningApp & { url: string };
  let redis: Redis;

  beforeEach(async () => {
    fake = await startFakePlatforms();
    prefix = uniquePrefix();
    redis = new Redis(TEST_REDIS_URL);
    app = await startTestApp({ prefix, fake });
  });

  afterEach(async () => {
    await app.stop();
    await fake.close();
    await redis.quit();
    await deleteKeys(prefix);
  });

  const nothingQueued = async () => {
    expect(await redis.keys(`${prefix}:inbox:*`)).toEqual([]);
    const counts = await app.path.queues.inbound.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
  };

  it('when Meta verifies the webhook with the right token, then the challenge comes back; with a wrong one, 403', async () => {
    const ok = await request(app.url).get('/webhooks/messenger').query({ 'hub.mode': 'subscribe', 'hub.verify_token': SECRETS.MESSENGER_VERIFY_TOKEN, 'hub.challenge': '1158201444' });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('1158201444');
    const bad = await request(app.url).get('/webhooks/messenger').query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' });
    expect(bad.status).toBe(403);
  });

  it('when a citizen greets the page on Messenger, then the assistant answers with the main menu through the Send API', async () => {
    const { raw, signature } = messengerTextBody({ psid: '24022736543', mid: 'm_greet_1', text: 'Xin chào' }, SECRETS.MESSENGER_APP_SECRET);
    const res = await request(app.url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signature).send(raw);
    expect(res.status).toBe(200);
    await fake.waitFor(() => fake.sent('messenger').some((r) => JSON.stringify(r.body).includes('MENU_PROCEDURES')));
    const bodies = fake.sent('messenger').map((r) => r.body);
    expect(bodies.every((b) => (b.recipient as { id: string }).id === '24022736543')).toBe(true);
    expect(fake.sent('messenger')[0].query.access_token).toBe(SECRETS.MESSENGER_PAGE_ACCESS_TOKEN);
    const all = JSON.stringify(bodies);
    for (const p of MENU_PAYLOADS) expect(all).toContain(p);
    // The platform's message id is recorded just after the Send API answers: allow it that moment.
    const allSent = (t: Awaited<ReturnType<typeof app.stores.conversations.transcript>>) =>
      t.filter((e) => e.direction === 'out').every((e) => e.status === 'sent' && e.platformMessageId?.startsWith('m_fake_'));
    let transcript = await app.stores.conversations.transcript('messenger:24022736543');
    for (let i = 0; i < 50 && !allSent(transcript); i++) {
      await new Promise((r) => setTimeout(r, 20));
      transcript = await app.stores.conversations.transcript('messenger:24022736543');
    }
    expect(transcript[0]).toMatchObject({ direction: 'in', id: 'm_greet_1', text: 'Xin chào' });
    expect(allSent(transcript)).toBe(true);
    expect(await app.stores.conversations.lastInboundAt('messenger', '24022736543')).not.toBeNull();
  });

  it('when a batch holds two entries with two messages each, then all four are answered', async () => {
    const now = Date.now();
    const item = (psid: string, mid: string, t: number) => `{"sender":{"id":"${psid}"},"recipient":{"id":"PAGE"},"timestamp":${t},"message":{"mid":"${mid}","text":"menu"}}`;
    const raw = `{"object":"page","entry":[{"id":"PAGE","time":${now},"messaging":[${item('p1', 'm1', now)},${item('p2', 'm2', now + 1)}]},{"id":"PAGE","time":${now},"messaging":[${item('p3', 'm3', now + 2)},${item('p1', 'm4', now + 3)}]}]}`;
    const res = await request(app.url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signMessengerBody(raw, SECRETS.MESSENGER_APP_SECRET)).send(raw);
    expect(res.status).toBe(200);
    await fake.waitFor(() => ['p1', 'p2', 'p3'].every((p) => fake.sent('messenger').some((r) => (r.body.recipient as { id: string }).id === p)));
    const ins = async (key: string) => (await app.stores.conversations.transcript(key)).filter((e) => e.direction === 'in').map((e) => e.id);
    const deadline = Date.now() + 5000;
    while ((await ins('messenger:p1')).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await ins('messenger:p1')).toEqual(['m1', 'm4']);
    expect(await ins('messenger:p2')).toEqual(['m2']);
    expect(await ins('messenger:p3')).toEqual(['m3']);
  });

  it('when the same delivery comes twice, then the citizen gets one answer', async () => {
    const { raw, signature } = messengerTextBody({ psid: 'dup-user', mid: 'm_dup_1', text: 'menu' }, SECRETS.MESSENGER_APP_SECRET);
    for (let i = 0; i < 2; i++) {
      const res = await request(app.url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signature).send(raw);
      expect(res.status).toBe(200);
    }
    await fake.waitFor(() => fake.sent('messenger').length > 0);
    // every job the two deliveries could have made has run
    await untilIdle(Object.values(app.path.queues));
    const turns = (await app.stores.conversations.transcript('messenger:dup-user')).filter((e) => e.direction === 'in');
    expect(turns).toHaveLength(1);
    const firstTurnCount = fake.sent('messenger').length;
    expect((await app.stores.conversations.transcript('messenger:dup-user')).filter((e) => e.direction === 'out')).toHaveLength(firstTurnCount);
  });

  it.each([
    ['the signature is missing', (raw: string) => ({ raw, headers: {} as Record<string, string> }), 401],
    ['the signature is wrong', (raw: string) => ({ raw, headers: { 'X-Hub-Signature-256': signMessengerBody(raw, 'not-the-secret') } }), 401],
    ['the body was re-serialised after signing', (raw: string) => ({ raw: JSON.stringify(JSON.parse(raw)), headers: { 'X-Hub-Signature-256': signMessengerBody(raw, SECRETS.MESSENGER_APP_SECRET) } }), 401],
    ['the JSON is malformed', () => ({ raw: '{"object":"page","entry":[', headers: { 'X-Hub-Signature-256': signMessengerBody('{"object":"page","entry":[', SECRETS.MESSENGER_APP_SECRET) } }), 400],
    ['the object is not a page', () => {
      const raw = '{"object":"instagram","entry":[]}';
      return { raw, headers: { 'X-Hub-Signature-256': signMessengerBody(raw, SECRETS.MESSENGER_APP_SECRET) } };
    }, 400],
    ['the entry list is missing', () => {
      const raw = '{"object":"page"}';
      return { raw, headers: { 'X-Hub-Signature-256': signMessengerBody(raw, SECRETS.MESSENGER_APP_SECRET) } };
    }, 400],
    ['the body is over 1 MB', () => {
      const raw = `{"object":"page","entry":[],"pad":"${'x'.repeat(1024 * 1024 + 10)}"}`;
      return { raw, headers: { 'X-Hub-Signature-256': signMessengerBody(raw, SECRETS.MESSENGER_APP_SECRET) } };
    }, 413],
  ])('when %s, then a clear 4xx error, nothing is queued and the server stays up', async (_name, make, status) => {
    const { raw: signedRaw } = messengerTextBody({ psid: 'bad-user', mid: 'm_bad', text: 'Đăng ký khai sinh' }, SECRETS.MESSENGER_APP_SECRET);
    const { raw, headers } = make(signedRaw);
    const res = await request(app.url).post('/webhooks/messenger').set('Content-Type', 'application/json').set(headers).send(raw);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toEqual(expect.any(String));
    expect(res.body.error.message).toEqual(expect.any(String));
    await nothingQueued();
    expect((await request(app.url).get('/healthz')).status).toBe(200);
  });

  it('when a delivery comes chunked (no Content-Length) or with a query string, then it is taken and answered all the same', async () => {
    const { raw, signature } = messengerTextBody({ psid: 'chunked-user', mid: 'm_chunked_1', text: 'Xin chào' }, SECRETS.MESSENGER_APP_SECRET);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${app.url}/webhooks/messenger`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signature, 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.write(raw.slice(0, 40));
      req.end(raw.slice(40));
    });
    expect(status).toBe(200);
    const second = messengerTextBody({ psid: 'query-user', mid: 'm_query_1', text: 'Xin chào' }, SECRETS.MESSENGER_APP_SECRET);
    const res = await request(app.url).post('/webhooks/messenger?source=meta').set('Content-Type', 'application/json').set('X-Hub-Signature-256', second.signature).send(second.raw);
    expect([res.status, res.text]).toEqual([200, 'EVENT_RECEIVED']);
    const recipients = () => new Set(fake.sent('messenger').map((r) => (r.body.recipient as { id: string }).id));
    await fake.waitFor(() => recipients().has('chunked-user') && recipients().has('query-user'));
  });

  it('when a signed body holds only deliveries, reads and echoes, then 200 and nothing is queued', async () => {
    const raw =
      '{"object":"page","entry":[{"id":"PAGE","time":1767000000500,"messaging":[' +
      '{"sender":{"id":"u1"},"recipient":{"id":"PAGE"},"delivery":{"mids":["m_x"],"watermark":1767000000000}},' +
      '{"sender":{"id":"u1"},"recipient":{"id":"PAGE"},"timestamp":1767000000100,"read":{"watermark":1767000000000}},' +
      '{"sender":{"id":"PAGE"},"recipient":{"id":"u1"},"timestamp":1767000000200,"message":{"mid":"m_echo","is_echo":true,"app_id":1517,"text":"Xin ch\\u00e0o"}}]}]}';
    const res = await request(app.url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signMessengerBody(raw, SECRETS.MESSENGER_APP_SECRET)).send(raw);
    expect(res.status).toBe(200);
    await nothingQueued();
  });

  it('when a Zalo follower writes, then the OA answers through the consultation API with the OA token', async () => {
    const raw = `{"app_id":"${SECRETS.ZALO_APP_ID}","user_id_by_app":"7300118846001119002","event_name":"user_send_text","timestamp":"${Date.now()}","sender":{"id":"8309271548263501221"},"recipient":{"id":"1423987654321098765"},"message":{"msg_id":"b8de7d84fa1b3043690c","text":"Cho hỏi thủ tục đăng ký khai sinh"}}`;
    const res = await request(app.url).post('/webhooks/zalo').set('Content-Type', 'application/json').set('X-ZEvent-Signature', zaloSigned(raw)).send(raw);
    expect(res.status).toBe(200);
    await fake.waitFor(() => fake.sent('zalo').length > 0);
    const first = fake.sent('zalo')[0];
    expect(first.headers.access_token).toBe('AT-1');
    expect(first.body.recipient).toEqual({ user_id: '8309271548263501221' });
    const transcript = await app.stores.conversations.transcript('zalo:8309271548263501221');
    expect(transcript[0]).toMatchObject({ direction: 'in', text: 'Cho hỏi thủ tục đăng ký khai sinh' });
  });

  it('when the Zalo token has expired, then it is refreshed once, the new refresh token is stored, and the reply goes out with the new token', async () => {
    fake.setZaloToken('AT-2');
    fake.nextZaloPair({ access_token: 'AT-2', refresh_token: 'RT-2', expires_in: '90000' });
    const raw = `{"app_id":"${SECRETS.ZALO_APP_ID}","event_name":"user_send_text","timestamp":"${Date.now()}","sender":{"id":"8309271548263501222"},"recipient":{"id":"1423987654321098765"},"message":{"msg_id":"c1","text":"menu"}}`;
    const res = await request(app.url).post('/webhooks/zalo').set('Content-Type', 'application/json').set('X-ZEvent-Signature', zaloSigned(raw)).send(raw);
    expect(res.status).toBe(200);
    await fake.waitFor(() => fake.sent('zalo').some((r) => r.headers.access_token === 'AT-2'));
    expect(fake.sent('zalo-oauth')).toHaveLength(1);
    expect(fake.sent('zalo-oauth')[0].body).toMatchObject({ refresh_token: 'RT-1', app_id: SECRETS.ZALO_APP_ID, grant_type: 'refresh_token' });
    expect(fake.sent('zalo-oauth')[0].headers.secret_key).toBe(SECRETS.ZALO_APP_SECRET);
    const stored = await app.stores.tokens.get('zalo');
    expect(stored?.current).toMatchObject({ accessToken: 'AT-2', refreshToken: 'RT-2' });
  });

  it('when the Zalo signature is made with the App Secret instead of the OA secret key, then 401 and nothing is queued', async () => {
    const raw = `{"app_id":"${SECRETS.ZALO_APP_ID}","event_name":"user_send_text","timestamp":"1751100041636","sender":{"id":"1"},"recipient":{"id":"2"},"message":{"msg_id":"x","text":"hi"}}`;
    const body = JSON.parse(raw) as { app_id: string; timestamp: string };
    const mac = createHash('sha256').update(body.app_id + raw + body.timestamp + SECRETS.ZALO_APP_SECRET).digest('hex');
    const res = await request(app.url).post('/webhooks/zalo').set('Content-Type', 'application/json').set('X-ZEvent-Signature', `mac=${mac}`).send(raw);
    expect(res.status).toBe(401);
    await nothingQueued();
  });
});

describe('a channel without its secrets', () => {
  it('when Messenger settings are missing, then the server still starts and the Messenger webhook answers that it is disabled', async () => {
    const fake = await startFakePlatforms();
    const prefix = uniquePrefix();
    const app = await startTestApp({ prefix, fake, stores: createMemoryStores(), env: { MESSENGER_APP_SECRET: '' } });
    try {
      const res = await request(app.url).post('/webhooks/messenger').send('{}');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('CHANNEL_DISABLED');
      expect((await request(app.url).get('/readyz')).status).toBe(200);
    } finally {
      await app.stop();
      await fake.close();
      await deleteKeys(prefix);
    }
  });
});
