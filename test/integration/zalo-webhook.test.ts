import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { createZaloRouter } from '../../src/channels/zalo/router';
import type { InboundEvent } from '../../src/channels/types';
import { isAppError } from '../../src/shared/app-error';
import { recordingLogger, signatureFor, USER_ID, zaloFixture, zaloTestConfig, type LogLine } from '../unit/channels/zalo/fakes';

const config = zaloTestConfig();
const NOW = 1_800_000_000_000;

/** The app the server would build, reduced to the Zalo router and a minimal error middleware. */
function buildApp(accept: (events: InboundEvent[]) => Promise<void>, lines: LogLine[] = []) {
  const app = express();
  app.use(createZaloRouter(config, { accept, log: recordingLogger(lines), now: () => NOW }));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (isAppError(err)) return void res.status(err.status).json({ code: err.code });
    if ((err as { type?: unknown }).type === 'entity.too.large') return void res.status(413).json({ code: 'BODY_TOO_LARGE' });
    res.status(500).json({ code: 'INTERNAL' });
  });
  return app;
}

function recordingAccept() {
  const accepted: InboundEvent[][] = [];
  const accept = async (events: InboundEvent[]) => {
    accepted.push(events);
  };
  return { accepted, accept };
}

function post(app: express.Express, raw: Buffer, signature?: string) {
  const req = request(app).post('/webhooks/zalo').set('Content-Type', 'application/json').set('User-Agent', 'ZaloWebhook');
  if (signature !== undefined) req.set('X-ZEvent-Signature', signature);
  // As a string: superagent would JSON-encode a Buffer under a JSON content type.
  return req.send(raw.toString('utf8'));
}

describe('POST /webhooks/zalo', () => {
  test('when a signed text event arrives, then it is accepted and answered 200', async () => {
    const { accepted, accept } = recordingAccept();
    const raw = zaloFixture('user_send_text');

    const res = await post(buildApp(accept), raw, signatureFor(raw));

    expect(res.status).toBe(200);
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toEqual([expect.objectContaining({ id: 'zalo:b8de7d84fa1b3043690c', userId: USER_ID, channel: 'zalo' })]);
  });

  test('when accept is slow, then the 200 waits for it', async () => {
    let done = false;
    const accept = async () => {
      await new Promise((r) => setTimeout(r, 100));
      done = true;
    };
    const raw = zaloFixture('user_send_image');

    const res = await post(buildApp(accept), raw, signatureFor(raw));

    expect(res.status).toBe(200);
    expect(done).toBe(true);
  });

  test('when accept fails, then no 200 is sent, so Zalo redelivers', async () => {
    const raw = zaloFixture('user_send_text');
    const res = await post(buildApp(() => Promise.reject(new Error('redis down'))), raw, signatureFor(raw));
    expect(res.status).toBe(500);
  });

  test('when the signature is a bare hex without mac=, then it is accepted', async () => {
    const { accepted, accept } = recordingAccept();
    const raw = zaloFixture('follow');
    const res = await post(buildApp(accept), raw, signatureFor(raw).slice('mac='.length));
    expect(res.status).toBe(200);
    expect(accepted[0][0].content).toEqual({ type: 'follow' });
  });

  test('when Zalo labels the body text/plain, then the raw bytes are still verified and parsed', async () => {
    const { accepted, accept } = recordingAccept();
    const raw = zaloFixture('user_send_location');
    const res = await request(buildApp(accept))
      .post('/webhooks/zalo')
      .set('Content-Type', 'text/plain')
      .set('X-ZEvent-Signature', signatureFor(raw))
      .send(raw.toString('utf8'));
    expect(res.status).toBe(200);
    expect(accepted).toHaveLength(1);
  });

  test("when the console's unsigned {} URL test arrives, then 200 and nothing is accepted", async () => {
    const { accepted, accept } = recordingAccept();
    const res = await post(buildApp(accept), Buffer.from('{}'));
    expect(res.status).toBe(200);
    expect(accepted).toEqual([]);
  });

  test('when a real event arrives unsigned, then 401 SIGNATURE_MISSING and nothing is accepted', async () => {
    const { accepted, accept } = recordingAccept();
    const res = await post(buildApp(accept), zaloFixture('user_send_text'));
    expect([res.status, res.body.code]).toEqual([401, 'SIGNATURE_MISSING']);
    expect(accepted).toEqual([]);
  });

  test('when the body was signed with the App Secret, then 401 SIGNATURE_INVALID and nothing is accepted', async () => {
    const { accepted, accept } = recordingAccept();
    const raw = zaloFixture('user_send_text');
    const res = await post(buildApp(accept), raw, signatureFor(raw, config.appSecret));
    expect([res.status, res.body.code]).toEqual([401, 'SIGNATURE_INVALID']);
    expect(accepted).toEqual([]);
  });

  test('when the body was re-serialised after signing, then 401 SIGNATURE_INVALID', async () => {
    const { accepted, accept } = recordingAccept();
    const raw = zaloFixture('user_send_text');
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8')), null, 1));
    const res = await post(buildApp(accept), reserialised, signatureFor(raw));
    expect([res.status, res.body.code]).toEqual([401, 'SIGNATURE_INVALID']);
    expect(accepted).toEqual([]);
  });

  test('when a signed body is not JSON, then 400 MALFORMED_JSON', async () => {
    const { accepted, accept } = recordingAccept();
    const res = await post(buildApp(accept), Buffer.from('{"event_name":'), `mac=${'0'.repeat(64)}`);
    expect([res.status, res.body.code]).toEqual([400, 'MALFORMED_JSON']);
    expect(accepted).toEqual([]);
  });

  test('when a correctly signed body has no event_name, then 400 VALIDATION_FAILED', async () => {
    const { accept } = recordingAccept();
    const raw = Buffer.from(`{"app_id":"${config.appId}","timestamp":"1751100041636"}`);
    const res = await post(buildApp(accept), raw, signatureFor(raw));
    expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  test('when the body is over 1 MB, then 413 and nothing is accepted', async () => {
    const { accepted, accept } = recordingAccept();
    const raw = Buffer.from(`{"event_name":"user_send_text","pad":"${'x'.repeat(1024 * 1024)}"}`);
    const res = await post(buildApp(accept), raw, `mac=${'0'.repeat(64)}`);
    expect(res.status).toBe(413);
    expect(accepted).toEqual([]);
  });

  test.each(['oa_send_text', 'user_seen_message', 'add_user_to_tag'])(
    'when a signed %s arrives, then 200, nothing is accepted and the kind is logged',
    async (name) => {
      const { accepted, accept } = recordingAccept();
      const lines: LogLine[] = [];
      const raw = zaloFixture(name);
      const res = await post(buildApp(accept, lines), raw, signatureFor(raw));
      expect(res.status).toBe(200);
      expect(accepted).toEqual([]);
      expect(lines).toEqual([expect.objectContaining({ obj: expect.objectContaining({ kind: name }) })]);
    },
  );

  test('when events are processed, then the log holds no message text or phone number', async () => {
    const lines: LogLine[] = [];
    const { accept } = recordingAccept();
    for (const name of ['user_send_text', 'user_submit_info', 'oa_send_text']) {
      const raw = zaloFixture(name);
      await post(buildApp(accept, lines), raw, signatureFor(raw));
    }
    expect(JSON.stringify(lines)).not.toMatch(/CCCD|0912345678|UBND|oa-secret-key/);
  });
});

describe('GET /webhooks/zalo', () => {
  test("when Zalo's console checks the URL, then 200", async () => {
    const res = await request(buildApp(recordingAccept().accept)).get('/webhooks/zalo');
    expect(res.status).toBe(200);
  });
});
