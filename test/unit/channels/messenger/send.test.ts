import { createMessengerSender } from '../../../../src/channels/messenger/send';
import { isSendError, type SendError } from '../../../../src/channels/types';
import type { MessengerConfig } from '../../../../src/config';
import type { Logger } from '../../../../src/shared/logger';
import { sendApiLimitProblem, startFakeGraphApi } from './fake-graph-api';

// The Send API is a local fake server on 127.0.0.1 that records each request and refuses what Meta
// refuses (sizes, windows); the assertions are on the JSON that went over the wire. (nock, pinned to 14,
// the last CommonJS release, intercepts the simpler Zalo OAuth exchange: zalo/token-refresh.nock.test.ts.)

const TOKEN = 'EAAPageTokenSecret123';
const PSID = '24157396829103845';

/** A logger that keeps every line, to show what never gets written. */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const write = (obj: object, msg?: string) => void lines.push(JSON.stringify({ ...obj, msg }));
  const log = { lines, debug: write, info: write, warn: write, error: write, child: () => log };
  return log;
}

async function failure(promise: Promise<unknown>): Promise<SendError> {
  try {
    await promise;
  } catch (e) {
    if (isSendError(e)) return e;
    throw e;
  }
  throw new Error('expected a SendError');
}

let graph: Awaited<ReturnType<typeof startFakeGraphApi>>;
let config: MessengerConfig;

beforeEach(async () => {
  graph = await startFakeGraphApi();
  config = { appSecret: 's', verifyToken: 'v', pageAccessToken: TOKEN, apiBase: graph.apiBase };
});
afterEach(() => graph.close());

const sender = (log: Logger = recordingLogger()) => createMessengerSender(config, { log, timeoutMs: 500 });

describe('createMessengerSender', () => {
  it('when a text is sent, then the exact body goes to /me/messages with the token as a query parameter', async () => {
    graph.reply({ status: 200, body: { recipient_id: PSID, message_id: 'm_OUT1' } });

    const result = await sender().send(PSID, { type: 'text', text: 'Chào bạn', choices: [{ title: 'Thủ tục', payload: 'PROC' }] });

    expect(result).toEqual({ platformMessageId: 'm_OUT1' });
    expect(graph.requests).toEqual([
      {
        method: 'POST',
        path: '/v25.0/me/messages',
        query: { access_token: TOKEN },
        body: {
          recipient: { id: PSID },
          messaging_type: 'RESPONSE',
          message: { text: 'Chào bạn', quick_replies: [{ content_type: 'text', title: 'Thủ tục', payload: 'PROC' }] },
        },
      },
    ]);
  });

  it('when an official answers, then the body carries MESSAGE_TAG and HUMAN_AGENT', async () => {
    graph.reply({ status: 200, body: { recipient_id: PSID, message_id: 'm_OUT2' } });
    await sender().send(PSID, { type: 'text', text: 'Dạ, đã nhận.' }, { purpose: 'human' });
    expect(graph.requests.map((r) => r.body)).toEqual([
      { recipient: { id: PSID }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'Dạ, đã nhận.' } },
    ]);
  });

  it('when typing is shown, then sender_action typing_on alone', async () => {
    graph.reply({ status: 200, body: { recipient_id: PSID } });
    await sender().sendTyping(PSID);
    expect(graph.requests.map((r) => r.body)).toEqual([{ recipient: { id: PSID }, sender_action: 'typing_on' }]);
  });

  it('when a text is too long for one message, then several requests in order and the last id', async () => {
    graph.reply({ status: 200, body: { recipient_id: PSID, message_id: 'm_P1' } }, { status: 200, body: { recipient_id: PSID, message_id: 'm_P2' } });
    const text = `${'Một. '.repeat(300)}\n\n${'Hai. '.repeat(300)}`;
    const result = await sender().send(PSID, { type: 'text', text });
    expect(result).toEqual({ platformMessageId: 'm_P2' });
    expect(graph.requests.map((r) => (r.body as { message: { text: string } }).message.text.slice(0, 4))).toEqual(['Một.', 'Hai.']);
  });

  it('when texts and titles hold emoji and decomposed Vietnamese near the limits, then every request fits Meta\'s UTF-16 limits and none is refused', async () => {
    const steps = Array.from({ length: 63 }, (_, i) => `Bước ${i % 10} xong 🙏`).join(' ');
    const long = [...`${steps} ${'ghi chú thêm '.repeat(200)}`].slice(0, 1980).join('');
    expect(long.length).toBeGreaterThan(2000);
    const titles = ['🏠 Đăng ký thường trú', '👨‍👩‍👧‍👦 Khai sinh cho con', 'Xác nhận hôn nhân'.normalize('NFD')];
    graph.reply(...Array.from({ length: 6 }, (_, i) => ({ status: 200, body: { recipient_id: PSID, message_id: `m_${i}` } })));
    const s = sender();
    await s.send(PSID, { type: 'text', text: long.normalize('NFD'), choices: titles.map((title, i) => ({ title, payload: `P${i}` })) });
    await s.send(PSID, { type: 'buttons', text: '⚠️ Mang CCCD bản gốc. '.repeat(35), buttons: titles.map((title, i) => ({ type: 'postback' as const, title, payload: `B${i}` })) });
    expect(graph.requests.length).toBeGreaterThanOrEqual(4);
    for (const r of graph.requests) expect(sendApiLimitProblem(r.body)).toBeNull();
  });

  it('when a body over the limits reaches the fake Graph API, then it is refused as Meta refuses it', async () => {
    graph.reply({ status: 200, body: { recipient_id: PSID, message_id: 'never' } });
    const body = { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: '🙏'.repeat(1000) } };
    const r = await fetch(`${graph.apiBase}/me/messages?access_token=${TOKEN}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ error: { code: 100, message: expect.stringContaining('2000 UTF-16 units, over 1999') } });
  });

  it.each([
    ['HTTP 429', 429, {}, 'rate_limited'],
    ['HTTP 500', 500, {}, 'server_error'],
    ['HTTP 503 with code 2', 503, { error: { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2, fbtrace_id: 'AbC' } }, 'server_error'],
    ['code 613', 400, { error: { message: '(#613) Calls to this api have exceeded the rate limit.', type: 'OAuthException', code: 613 } }, 'rate_limited'],
    ['code 4', 400, { error: { code: 4 } }, 'rate_limited'],
    ['code 32', 400, { error: { code: 32 } }, 'rate_limited'],
    ['code 1200', 500, { error: { code: 1200 } }, 'server_error'],
  ])('when the Send API answers %s, then a retryable SendError', async (_label, status, body, reason) => {
    graph.reply({ status, body });
    const err = await failure(sender().send(PSID, { type: 'text', text: 'x' }));
    expect(err).toMatchObject({ name: 'SendError', reason, retryable: true });
  });

  it('when the connection drops, then a retryable network SendError', async () => {
    graph.reply({ status: 0, hangUp: true });
    const err = await failure(sender().send(PSID, { type: 'text', text: 'x' }));
    expect(err).toMatchObject({ reason: 'network', retryable: true });
  });

  it('when nothing listens, then a retryable network SendError', async () => {
    await graph.close();
    const err = await failure(sender().send(PSID, { type: 'text', text: 'x' }));
    expect(err).toMatchObject({ reason: 'network', retryable: true });
    graph = await startFakeGraphApi();
  });

  it('when the Send API does not answer within the timeout, then a retryable network SendError', async () => {
    graph.reply({ status: 200, body: { message_id: 'late' }, delayMs: 2_000 });
    const err = await failure(sender().send(PSID, { type: 'text', text: 'x' }));
    expect(err).toMatchObject({ reason: 'network', retryable: true });
  });

  it.each([
    ['window closed 10/2018278', { code: 10, error_subcode: 2018278 }, 'window_closed', '10/2018278'],
    ['window closed, old form 10/2018065', { code: 10, error_subcode: 2018065 }, 'window_closed', '10/2018065'],
    ['window closed as subcode 1545041', { code: 10, error_subcode: 1545041 }, 'window_closed', '10/1545041'],
    ['person unavailable 551', { code: 551, error_subcode: 1545041 }, 'user_unavailable', '551/1545041'],
    ['bad token 190', { code: 190, error_subcode: 463 }, 'token_invalid', '190/463'],
    ['bad parameter 100', { code: 100 }, 'bad_request', '100'],
    ['no such user 100/2018001', { code: 100, error_subcode: 2018001 }, 'bad_request', '100/2018001'],
    ['permission 200', { code: 200 }, 'permission', '200'],
    ['permission 230', { code: 230 }, 'permission', '230'],
    ['page restricted 10/1893063', { code: 10, error_subcode: 1893063 }, 'permission', '10/1893063'],
    ['possibly sent 1/1357046', { code: 1, error_subcode: 1357046 }, 'unknown', '1/1357046'],
  ])('when the Send API refuses with %s, then a final SendError with that reason', async (_label, error, reason, platformCode) => {
    graph.reply({ status: 400, body: { error: { message: 'refused', type: 'OAuthException', fbtrace_id: 'Ax1', ...error } } });
    const err = await failure(sender().send(PSID, { type: 'text', text: 'x' }));
    expect(err).toMatchObject({ reason, retryable: false, platformCode });
  });

  it('when an unknown 4xx comes back, then a final SendError', async () => {
    graph.reply({ status: 403, body: { error: { code: 368 } } });
    const err = await failure(sender().send(PSID, { type: 'text', text: 'x' }));
    expect(err).toMatchObject({ reason: 'unknown', retryable: false, platformCode: '368' });
  });

  it('when a send fails, then neither the token, the text, the phone number nor Meta’s message reaches the log or the error', async () => {
    const log = recordingLogger();
    graph.reply({ status: 400, body: { error: { message: '(#100) Invalid phone number +84912345678', code: 100 } } });
    const err = await failure(
      sender(log).send(PSID, { type: 'buttons', text: 'Bí mật riêng tư', buttons: [{ type: 'phone', title: 'Gọi', phone: '0912345678' }] }),
    );
    const written = [...log.lines, err.message, JSON.stringify(err)].join('\n');
    expect(log.lines.length).toBeGreaterThan(0);
    for (const secret of [TOKEN, 'Bí mật', '912345678', 'Invalid phone']) expect(written).not.toContain(secret);
  });
});
