import request from 'supertest';
import { signMessengerBody } from '../../../../src/channels/messenger/signature';
import express from 'express';
import type { InboundEvent } from '../../../../src/channels/types';
import { createMessengerRouter } from '../../../../src/channels/messenger/router';
import { rawFixture } from './fixtures';
import { APP_SECRET, VERIFY_TOKEN, messengerConfig, recordingLogger, webhookApp } from './webhook-app';

const PATH = '/webhooks/messenger';

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error('condition never became true');
}

function post(app: Parameters<typeof request>[0], raw: Buffer | string, signature: string | null = signMessengerBody(raw, APP_SECRET)) {
  const req = request(app).post(PATH).set('Content-Type', 'application/json');
  if (signature !== null) req.set('X-Hub-Signature-256', signature);
  return req.send(typeof raw === 'string' ? raw : raw.toString('utf8'));
}

describe('GET /webhooks/messenger (verify handshake)', () => {
  it('when the verify token matches, then 200 with the raw challenge as text', async () => {
    const { app } = webhookApp();
    const res = await request(app).get(PATH).query({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe('1158201444');
  });

  it.each([
    ['a wrong token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' }],
    ['a token that is a prefix', { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN.slice(0, 4), 'hub.challenge': '1' }],
    ['no token', { 'hub.mode': 'subscribe', 'hub.challenge': '1' }],
    ['another mode', { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' }],
  ])('when the handshake has %s, then 403 and no challenge echoed', async (_label, query) => {
    const { app } = webhookApp();
    const res = await request(app).get(PATH).query(query);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'VERIFY_TOKEN_MISMATCH' });
  });
});

describe('POST /webhooks/messenger', () => {
  it('when a signed batch arrives, then 200 EVENT_RECEIVED only after accept has finished', async () => {
    let release!: () => void;
    const received: InboundEvent[][] = [];
    const { app } = webhookApp({
      accept: (events) => {
        received.push(events);
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    let answered = false;
    const pending = post(app, rawFixture('batched.json')).then((res) => {
      answered = true;
      return res;
    });
    await waitFor(() => received.length === 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(answered).toBe(false);
    release();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.text).toBe('EVENT_RECEIVED');
    expect(received[0]!.map((e) => e.id)).toEqual(['m_A1', 'm_B2', 'm_A3', 'mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_c']);
  });

  it('when the body holds Meta escaping, then the signature over the raw bytes verifies and the text is decoded', async () => {
    const { app, accepted } = webhookApp();
    const res = await post(app, rawFixture('text-vietnamese.json'));
    expect(res.status).toBe(200);
    expect(accepted[0]![0]!.content).toMatchObject({ text: expect.stringContaining('Đăng ký khai sinh') });
  });

  it('when the signature was made over the re-serialised JSON, then 401 and nothing is accepted', async () => {
    const raw = rawFixture('text-vietnamese.json');
    const reserialised = JSON.stringify(JSON.parse(raw.toString('utf8')));
    const { app, accepted } = webhookApp();
    const res = await post(app, raw, signMessengerBody(reserialised, APP_SECRET));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'SIGNATURE_INVALID' });
    expect(accepted).toEqual([]);
  });

  it('when the signature is missing, then 401 SIGNATURE_MISSING and nothing is accepted', async () => {
    const { app, accepted } = webhookApp();
    const res = await post(app, rawFixture('batched.json'), null);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'SIGNATURE_MISSING' });
    expect(accepted).toEqual([]);
  });

  it('when the signature is wrong, then 401 SIGNATURE_INVALID and nothing is accepted', async () => {
    const { app, accepted } = webhookApp();
    const res = await post(app, rawFixture('batched.json'), signMessengerBody('other bytes', APP_SECRET));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'SIGNATURE_INVALID' });
    expect(accepted).toEqual([]);
  });

  it('when the content type is not JSON, then the raw bytes are still verified and parsed', async () => {
    const raw = rawFixture('batched.json');
    const { app, accepted } = webhookApp();
    const res = await request(app).post(PATH).set('Content-Type', 'text/plain').set('X-Hub-Signature-256', signMessengerBody(raw, APP_SECRET)).send(raw.toString('utf8'));
    expect(res.status).toBe(200);
    expect(accepted[0]).toHaveLength(4);
  });

  it('when a signed body is not JSON, then 400 MALFORMED_JSON and accept is not called', async () => {
    const { app, accepted } = webhookApp();
    const res = await post(app, '{"object":"page","entry":[');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'MALFORMED_JSON' });
    expect(accepted).toEqual([]);
  });

  it('when a signed body is not a page webhook, then 400 UNKNOWN_WEBHOOK_OBJECT', async () => {
    const { app, accepted } = webhookApp();
    const res = await post(app, '{"object":"instagram","entry":[]}');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'UNKNOWN_WEBHOOK_OBJECT' });
    expect(accepted).toEqual([]);
  });

  it('when the body is over 1 MB, then 413 and accept is not called', async () => {
    const { app, accepted } = webhookApp();
    const big = JSON.stringify({ object: 'page', entry: [], padding: 'x'.repeat(1024 * 1024) });
    const res = await post(app, big);
    expect(res.status).toBe(413);
    expect(accepted).toEqual([]);
  });

  it('when accept rejects, then not 200, so Meta delivers again', async () => {
    const { app } = webhookApp({ accept: () => Promise.reject(new Error('redis down')) });
    const res = await post(app, rawFixture('batched.json'));
    expect(res.status).toBe(503);
    expect(res.text).not.toBe('EVENT_RECEIVED');
  });

  it('when the App Dashboard test arrives, then 200 with no events to accept', async () => {
    const { app, accepted } = webhookApp();
    const res = await post(app, rawFixture('dashboard-test.json'));
    expect(res.status).toBe(200);
    expect(res.text).toBe('EVENT_RECEIVED');
    expect(accepted).toEqual([]);
  });

  it('when echoes, receipts and standby items arrive, then 200, only the Page Inbox reply and the message accepted, and the log names kinds only', async () => {
    const { app, accepted, log } = webhookApp();
    await post(app, rawFixture('receipts-standby.json')).expect(200);
    await post(app, rawFixture('echoes.json')).expect(200);
    expect(accepted.map((batch) => batch.map((e) => e.id))).toEqual([['m_E2', 'm_U1']]);
    const written = log.lines.join('\n');
    expect(written).toContain('"kind":"standby"');
    expect(written).toContain('"kind":"echo"');
    for (const personal of ['Chị ơi', 'cán bộ', '24157396829103845', 'm_S1', 'm_E1']) expect(written).not.toContain(personal);
  });

  it('when an item carries no time, then the router clock stands in', async () => {
    const raw = JSON.stringify({ object: 'page', entry: [{ id: 'P', messaging: [{ sender: { id: 'U' }, message: { mid: 'm_1', text: 'x' } }] }] });
    const { app, accepted } = webhookApp({ now: () => 1767000009999 });
    await post(app, raw).expect(200);
    expect(accepted[0]![0]!.timestamp).toBe(1767000009999);
  });

  it('when an app-wide JSON parser ran first, then 500 rather than a check over re-serialised bytes', async () => {
    const accepted: InboundEvent[][] = [];
    const app = express();
    app.use(express.json());
    app.use(createMessengerRouter(messengerConfig, { accept: async (e) => void accepted.push(e), log: recordingLogger() }));
    app.use((err: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(err.status ?? 500).end();
    });
    const res = await post(app, rawFixture('batched.json'));
    expect(res.status).toBe(500);
    expect(accepted).toEqual([]);
  });
});
