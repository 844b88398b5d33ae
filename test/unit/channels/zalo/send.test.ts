import { createZaloSender } from '../../../../src/channels/zalo/send';
import type { ZaloTokenManager } from '../../../../src/channels/zalo/tokens';
import { isSendError, SendError, type SendError as SendErrorType } from '../../../../src/channels/types';
import type { ZaloConfig } from '../../../../src/config';
import { recordingLogger, USER_ID, zaloTestConfig } from './fakes';
import { startFakeZaloServer, type FakeZaloServer, type ScriptedReply } from './fake-zalo-server';

const PATH = '/v3.0/oa/message/cs';

/** A token manager that hands out AT1, then AT2 after a rejection, and records what it was asked. */
function fakeTokens(opts: { refreshFails?: SendError } = {}) {
  const calls: string[] = [];
  let current = 'AT1';
  const tokens: ZaloTokenManager = {
    async getAccessToken() {
      calls.push('get');
      return current;
    },
    async refreshAfterRejection(rejected) {
      calls.push(`refresh:${rejected}`);
      if (opts.refreshFails) throw opts.refreshFails;
      current = 'AT2';
      return current;
    },
  };
  return { tokens, calls };
}

async function sendError(p: Promise<unknown>): Promise<SendErrorType> {
  try {
    await p;
  } catch (e) {
    if (isSendError(e)) return e;
    throw e;
  }
  throw new Error('expected a SendError');
}

const reply = (json: unknown): ScriptedReply => ({ status: 200, json });

let zalo: FakeZaloServer;
let config: ZaloConfig;

beforeEach(async () => {
  zalo = await startFakeZaloServer();
  config = zaloTestConfig({ apiBase: zalo.url, oauthBase: zalo.url });
});
afterEach(() => zalo.close());

/** what reached Zalo: parsed body and the access_token header of each send */
const sent = () =>
  zalo.requests.map((r) => ({ method: r.method, path: r.path, body: JSON.parse(r.body) as unknown, token: r.headers['access_token'], authorization: r.headers['authorization'] }));

const OK = { error: 0, message: 'Success', data: { message_id: '63ec2a2bdd10b34de10f', user_id: USER_ID } };

describe('Zalo sender', () => {
  test('when a text is sent, then the exact body goes to /v3.0/oa/message/cs with the access_token header', async () => {
    zalo.script(PATH, reply(OK));
    const sender = createZaloSender(config, { tokens: fakeTokens().tokens, log: recordingLogger() });

    const result = await sender.send(USER_ID, { type: 'text', text: 'Hồ sơ của anh đã được tiếp nhận.' });

    expect(result).toEqual({ platformMessageId: '63ec2a2bdd10b34de10f' });
    expect(zalo.requests.map((r) => r.body)).toEqual([
      `{"recipient":{"user_id":"${USER_ID}"},"message":{"text":"Hồ sơ của anh đã được tiếp nhận."}}`,
    ]);
    expect(sent()).toEqual([
      { method: 'POST', path: PATH, body: expect.anything(), token: 'AT1', authorization: undefined },
    ]);
    expect(zalo.requests[0].headers['content-type']).toMatch(/^application\/json/);
  });

  test('when text has choices, then the buttons go over the wire in the same request', async () => {
    zalo.script(PATH, reply(OK));
    const sender = createZaloSender(config, { tokens: fakeTokens().tokens, log: recordingLogger() });

    await sender.send(USER_ID, { type: 'text', text: 'Chọn', choices: [{ title: 'Có', payload: 'yes' }] });

    expect(sent()[0].body).toEqual({
      recipient: { user_id: USER_ID },
      message: { text: 'Chọn', attachment: { type: 'template', payload: { buttons: [{ title: 'Có', type: 'oa.query.hide', payload: 'yes' }] } } },
    });
  });

  test('when the message is typing, then no call is made', async () => {
    const { tokens, calls } = fakeTokens();
    const sender = createZaloSender(config, { tokens, log: recordingLogger() });
    await expect(sender.send(USER_ID, { type: 'typing' })).resolves.toEqual({});
    expect(calls).toEqual([]);
    expect(zalo.requests).toEqual([]);
  });

  test('when the text is longer than 2000 characters, then the parts go out in order', async () => {
    zalo.script(PATH, reply({ error: 0, data: { message_id: 'm1' } }), reply({ error: 0, data: { message_id: 'm2' } }));
    const sender = createZaloSender(config, { tokens: fakeTokens().tokens, log: recordingLogger() });
    const text = `${'một '.repeat(450)}\n${'hai '.repeat(450)}`;

    const result = await sender.send(USER_ID, { type: 'text', text });

    expect(sent().map((s) => (s.body as { message: { text: string } }).message.text)).toEqual(['một '.repeat(450), 'hai '.repeat(450)]);
    expect(result).toEqual({ platformMessageId: 'm2' });
  });

  test('when Zalo answers -216, then the token is refreshed once and the message resent with the new token', async () => {
    zalo.script(PATH, reply({ error: -216, message: 'Access token is invalid' }), reply(OK));
    const { tokens, calls } = fakeTokens();
    const sender = createZaloSender(config, { tokens, log: recordingLogger() });

    await expect(sender.send(USER_ID, { type: 'text', text: 'x' })).resolves.toEqual({ platformMessageId: '63ec2a2bdd10b34de10f' });
    expect(calls).toEqual(['get', 'refresh:AT1']);
    expect(sent().map((s) => s.token)).toEqual(['AT1', 'AT2']);
    expect(sent()[1].body).toEqual(sent()[0].body);
  });

  test('when Zalo answers -220 twice, then it stops after one refresh with a final token_invalid', async () => {
    zalo.script(PATH, reply({ error: -220, message: 'Access token expired' }), reply({ error: -220, message: 'Access token expired' }));
    const { tokens, calls } = fakeTokens();
    const sender = createZaloSender(config, { tokens, log: recordingLogger() });

    const err = await sendError(sender.send(USER_ID, { type: 'text', text: 'x' }));
    expect([err.reason, err.retryable, err.platformCode]).toEqual(['token_invalid', false, '-220']);
    expect(calls).toEqual(['get', 'refresh:AT1']);
    expect(zalo.requests).toHaveLength(2);
  });

  test('when the refresh itself is refused, then its SendError surfaces and nothing is resent', async () => {
    zalo.script(PATH, reply({ error: -216, message: 'Access token is invalid' }));
    const refused = new SendError('token_invalid', false, 'Zalo OAuth refused the token refresh (-14014)', '-14014');
    const sender = createZaloSender(config, { tokens: fakeTokens({ refreshFails: refused }).tokens, log: recordingLogger() });

    await expect(sender.send(USER_ID, { type: 'text', text: 'x' })).rejects.toBe(refused);
    expect(zalo.requests).toHaveLength(1);
  });

  test.each([
    [-32, 'rate_limited', true],
    [-100, 'server_error', true],
    [-201, 'bad_request', false],
    [-209, 'permission', false],
    [-211, 'quota', false],
    [-212, 'permission', false],
    [-213, 'user_unavailable', false],
    [-217, 'user_unavailable', false],
    [-218, 'quota', false],
    [-221, 'permission', false],
    [-224, 'permission', false],
    [-227, 'user_unavailable', false],
    [-230, 'window_closed', false],
    [-232, 'window_closed', false],
    [-234, 'window_closed', false],
    [-242, 'permission', false],
    [-320, 'quota', false],
    [-321, 'quota', false],
    [-999, 'unknown', false],
  ])('when Zalo answers error %i, then it is %s (retryable: %s) and no refresh happens', async (code, reason, retryable) => {
    zalo.script(PATH, reply({ error: code, message: 'refused' }));
    const { tokens, calls } = fakeTokens();
    const sender = createZaloSender(config, { tokens, log: recordingLogger() });

    const err = await sendError(sender.send(USER_ID, { type: 'text', text: 'x' }));
    expect(err.name).toBe('SendError');
    expect([err.reason, err.retryable, err.platformCode]).toEqual([reason, retryable, String(code)]);
    expect(calls).toEqual(['get']);
    expect(zalo.requests).toHaveLength(1);
  });

  test.each([
    [500, 'server_error', true],
    [503, 'server_error', true],
    [429, 'rate_limited', true],
    [404, 'unknown', false],
  ])('when Zalo answers HTTP %i, then it is %s (retryable: %s)', async (status, reason, retryable) => {
    zalo.script(PATH, { status, text: 'oops' });
    const sender = createZaloSender(config, { tokens: fakeTokens().tokens, log: recordingLogger() });
    const err = await sendError(sender.send(USER_ID, { type: 'text', text: 'x' }));
    expect([err.reason, err.retryable]).toEqual([reason, retryable]);
  });

  test('when the connection drops without an answer, then it is a retryable network error', async () => {
    zalo.script(PATH, { destroy: true });
    const sender = createZaloSender(config, { tokens: fakeTokens().tokens, log: recordingLogger() });
    const err = await sendError(sender.send(USER_ID, { type: 'text', text: 'x' }));
    expect([err.reason, err.retryable]).toEqual(['network', true]);
  });

  test('when nothing listens, then it is a retryable network error', async () => {
    await zalo.close();
    const sender = createZaloSender(config, { tokens: fakeTokens().tokens, log: recordingLogger() });
    const err = await sendError(sender.send(USER_ID, { type: 'text', text: 'x' }));
    expect([err.reason, err.retryable]).toEqual(['network', true]);
    zalo = await startFakeZaloServer();
  });

  test('when a send fails, then the log holds neither the token nor the message text', async () => {
    zalo.script(PATH, reply({ error: -216 }), reply({ error: -230, message: 'User has not interacted' }));
    const log = recordingLogger();
    const sender = createZaloSender(config, { tokens: fakeTokens().tokens, log });
    await sendError(sender.send(USER_ID, { type: 'text', text: 'Số CCCD 001234567890' }));
    expect(log.lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(log.lines)).not.toMatch(/AT1|AT2|001234567890/);
  });
});
