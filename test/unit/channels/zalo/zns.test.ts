import { createTemplateSender } from '../../../../src/channels/template-sender';
import { isSendError, type SendError } from '../../../../src/channels/types';
import type { ZaloTokenManager } from '../../../../src/channels/zalo/tokens';
import { createZnsSender, znsPhone } from '../../../../src/channels/zalo/zns';
import type { ZaloConfig } from '../../../../src/config';
import { recordingLogger, zaloTestConfig } from './fakes';
import { startFakeZaloServer, type FakeZaloServer, type ScriptedReply } from './fake-zalo-server';

const PATH = '/message/template';
const PHONE = '+84912345678';
const caseParams = { code: 'PA-7K3M9', status: 'đã giải quyết', dueDate: 'Thứ Sáu, 20/03/2026' };
const reminderParams = { code: 'LH-42', procedure: 'Đăng ký khai sinh', date: 'Thứ Hai, 09/03/2026', time: '7h30-8h30', place: 'Bộ phận một cửa UBND xã' };
const OK = { error: 0, message: 'Success', data: { msg_id: 'a1b2c3', sent_time: '1767000000000', quota: { dailyQuota: '500', remainingQuota: '499' } } };
const reply = (json: unknown): ScriptedReply => ({ status: 200, json });

/** Hands out AT1, then AT2 after a rejection. */
function fakeTokens() {
  const calls: string[] = [];
  let current = 'AT1';
  const tokens: ZaloTokenManager = {
    async getAccessToken() {
      calls.push('get');
      return current;
    },
    async refreshAfterRejection(rejected) {
      calls.push(`refresh:${rejected}`);
      current = 'AT2';
      return current;
    },
  };
  return { tokens, calls };
}

async function sendError(p: Promise<unknown>): Promise<SendError> {
  try {
    await p;
  } catch (e) {
    if (isSendError(e)) return e;
    throw e;
  }
  throw new Error('expected a SendError');
}

let zalo: FakeZaloServer;
let config: ZaloConfig;

beforeEach(async () => {
  zalo = await startFakeZaloServer();
  config = zaloTestConfig({ znsApiBase: zalo.url });
});
afterEach(() => zalo.close());

const sent = () => zalo.requests.map((r) => ({ path: r.path, body: JSON.parse(r.body) as unknown, token: r.headers['access_token'] }));

describe('Zalo ZNS', () => {
  test('when a case update goes out, then the exact body reaches /message/template: phone in 84… form, template data, tracking id', async () => {
    zalo.script(PATH, reply(OK));
    const res = await createZnsSender(config, { tokens: fakeTokens().tokens, log: recordingLogger() }).sendTemplate({ channel: 'zalo', phone: PHONE, templateId: '312345', params: caseParams, trackingId: 'n-42' });
    expect(res).toEqual({ platformMessageId: 'a1b2c3' });
    expect(sent()).toEqual([
      {
        path: '/message/template',
        token: 'AT1',
        body: { phone: '84912345678', template_id: '312345', template_data: { ma_ho_so: 'PA-7K3M9', trang_thai: 'đã giải quyết', han_xu_ly: 'Thứ Sáu, 20/03/2026' }, tracking_id: 'n-42' },
      },
    ]);
  });

  test('when a reminder goes out, then the template data are procedure, date, time and place', async () => {
    zalo.script(PATH, reply(OK));
    await createZnsSender(config, { tokens: fakeTokens().tokens, log: recordingLogger() }).sendTemplate({ channel: 'zalo', phone: '0987654321', templateId: '412345', params: reminderParams, trackingId: 'appt-1' });
    expect(sent()[0]?.body).toMatchObject({ phone: '84987654321', template_data: { thu_tuc: 'Đăng ký khai sinh', ngay_hen: 'Thứ Hai, 09/03/2026', gio_hen: '7h30-8h30', dia_diem: 'Bộ phận một cửa UBND xã' } });
  });

  test('when the token is rejected (-124), then it is refreshed once and the message sent again', async () => {
    zalo.script(PATH, reply({ error: -124, message: 'Access token is invalid' }), reply(OK));
    const { tokens, calls } = fakeTokens();
    await createZnsSender(config, { tokens, log: recordingLogger() }).sendTemplate({ channel: 'zalo', phone: PHONE, templateId: '312345', params: caseParams, trackingId: 'n-1' });
    expect(calls).toEqual(['get', 'refresh:AT1']);
    expect(sent().map((s) => s.token)).toEqual(['AT1', 'AT2']);
  });

  test.each([
    [-108, 'bad_request', false],
    [-118, 'user_unavailable', false],
    [-139, 'user_unavailable', false],
    [-135, 'permission', false],
    [-211, 'quota', false],
    [-32, 'rate_limited', true],
    [-999, 'unknown', false],
  ])('when ZNS answers %i, then the failure is %s (retryable: %s)', async (code, reason, retryable) => {
    zalo.script(PATH, reply({ error: code, message: 'Số điện thoại 0912345678 không hợp lệ' }));
    const log = recordingLogger();
    const err = await sendError(createZnsSender(config, { tokens: fakeTokens().tokens, log }).sendTemplate({ channel: 'zalo', phone: PHONE, templateId: '312345', params: caseParams, trackingId: 'n-1' }));
    expect({ reason: err.reason, retryable: err.retryable, platformCode: err.platformCode }).toEqual({ reason, retryable, platformCode: String(code) });
    // Zalo's text can echo the number: it reaches neither the error nor the logs.
    expect(err.message).not.toContain('0912345678');
    expect(JSON.stringify(log.lines)).not.toContain('0912345678');
  });

  test('when Zalo answers 503 or nothing, then the failure is retryable', async () => {
    zalo.script(PATH, { status: 503, text: 'busy' }, { destroy: true });
    const sender = createZnsSender(config, { tokens: fakeTokens().tokens, log: recordingLogger() });
    const request = { channel: 'zalo' as const, phone: PHONE, templateId: '312345', params: caseParams, trackingId: 'n-1' };
    expect(await sendError(sender.sendTemplate(request))).toMatchObject({ reason: 'server_error', retryable: true });
    expect(await sendError(sender.sendTemplate(request))).toMatchObject({ reason: 'network', retryable: true });
  });

  test('when the phone on record is not Vietnamese, then nothing is sent and the failure is final', async () => {
    const err = await sendError(createZnsSender(config, { tokens: fakeTokens().tokens, log: recordingLogger() }).sendTemplate({ channel: 'zalo', phone: '+14155550100', templateId: '312345', params: caseParams, trackingId: 'n-1' }));
    expect({ reason: err.reason, retryable: err.retryable }).toEqual({ reason: 'bad_request', retryable: false });
    expect(zalo.requests).toEqual([]);
  });

  test('phones in the ways they are stored and written become 84…', () => {
    expect(['+84912345678', '84912345678', '0912 345 678', '+84 0912.345.678', '02373123456'].map(znsPhone)).toEqual(['84912345678', '84912345678', '84912345678', '84912345678', '842373123456']);
    expect(['+14155550100', '12345', 'abc', ''].map(znsPhone)).toEqual([null, null, null, null]);
  });
});

describe('createTemplateSender', () => {
  test('when a request is for a channel this process has not enabled, then it fails for good without a call', async () => {
    const templates = createTemplateSender({ zalo: createZnsSender(config, { tokens: fakeTokens().tokens, log: recordingLogger() }) });
    const err = await sendError(templates.sendTemplate({ channel: 'messenger', userId: 'psid', template: 'cap_nhat_ho_so', language: 'vi', params: caseParams }));
    expect({ reason: err.reason, retryable: err.retryable }).toEqual({ reason: 'permission', retryable: false });
    zalo.script(PATH, reply(OK));
    await templates.sendTemplate({ channel: 'zalo', phone: PHONE, templateId: '312345', params: caseParams, trackingId: 'n-1' });
    expect(zalo.requests).toHaveLength(1);
  });
});
