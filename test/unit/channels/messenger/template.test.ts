import { createMessengerTemplateSender } from '../../../../src/channels/messenger/template';
import { isSendError, type SendError } from '../../../../src/channels/types';
import type { MessengerConfig } from '../../../../src/config';
import { silentLogger } from '../../../../src/shared/logger';
import { startFakeGraphApi } from './fake-graph-api';

const TOKEN = 'EAAPageTokenSecret123';
const PSID = '24157396829103845';
const caseParams = { code: 'PA-7K3M9', status: 'đã giải quyết', dueDate: 'Thứ Sáu, 20/03/2026' };
const reminderParams = { code: 'LH-42', procedure: 'Đăng ký khai sinh', date: 'Thứ Hai, 09/03/2026', time: '7h30-8h30', place: 'Bộ phận một cửa UBND xã' };

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

const sender = () => createMessengerTemplateSender(config, { log: silentLogger, timeoutMs: 500 });

describe('Messenger Utility templates', () => {
  it('when a case update goes out, then the exact UTILITY body reaches /me/messages: code, status, due date', async () => {
    graph.reply({ status: 200, body: { recipient_id: PSID, message_id: 'm_TPL1' } });

    const result = await sender().sendTemplate({ channel: 'messenger', userId: PSID, template: 'cap_nhat_ho_so', language: 'vi', params: caseParams });

    expect(result).toEqual({ platformMessageId: 'm_TPL1' });
    expect(graph.requests).toEqual([
      {
        method: 'POST',
        path: '/v25.0/me/messages',
        query: { access_token: TOKEN },
        body: {
          recipient: { id: PSID },
          messaging_type: 'UTILITY',
          message: {
            template: {
              name: 'cap_nhat_ho_so',
              language: { code: 'vi' },
              components: [
                {
                  type: 'body',
                  parameters: [
                    { type: 'text', text: 'PA-7K3M9' },
                    { type: 'text', text: 'đã giải quyết' },
                    { type: 'text', text: 'Thứ Sáu, 20/03/2026' },
                  ],
                },
              ],
            },
          },
        },
      },
    ]);
  });

  it('when a reminder goes out, then its parameters are procedure, date, time and place, and no message tag is used', async () => {
    graph.reply({ status: 200, body: { recipient_id: PSID, message_id: 'm_TPL2' } });
    await sender().sendTemplate({ channel: 'messenger', userId: PSID, template: 'nhac_lich_hen', language: 'vi', params: reminderParams });
    const body = graph.requests[0]?.body as { tag?: unknown; message: { template: { components: { parameters: { text: string }[] }[] } } };
    expect(body.tag).toBeUndefined();
    expect(body.message.template.components[0]?.parameters.map((p) => p.text)).toEqual(['Đăng ký khai sinh', 'Thứ Hai, 09/03/2026', '7h30-8h30', 'Bộ phận một cửa UBND xã']);
  });

  it.each([
    ['outside the window (10/2018278)', 400, { code: 10, error_subcode: 2018278 }, 'window_closed', false],
    ['template unknown or not approved (100)', 400, { code: 100 }, 'bad_request', false],
    ['utility messaging not granted (200)', 403, { code: 200 }, 'permission', false],
    ['rate limited (613)', 400, { code: 613 }, 'rate_limited', true],
    ['a server error', 503, { code: 2 }, 'server_error', true],
  ])('when Meta refuses: %s, then the failure is classified like any Send API failure', async (_what, status, error, reason, retryable) => {
    graph.reply({ status, body: { error: { message: 'refused', type: 'OAuthException', ...error, fbtrace_id: 'Atrace' } } });
    const err = await failure(sender().sendTemplate({ channel: 'messenger', userId: PSID, template: 'cap_nhat_ho_so', language: 'vi', params: caseParams }));
    expect({ reason: err.reason, retryable: err.retryable }).toEqual({ reason, retryable });
    expect(err.message).not.toContain(TOKEN);
  });

  it('when Meta does not answer, then the failure is a retryable network error', async () => {
    graph.reply({ status: 200, hangUp: true });
    const err = await failure(sender().sendTemplate({ channel: 'messenger', userId: PSID, template: 'cap_nhat_ho_so', language: 'vi', params: caseParams }));
    expect({ reason: err.reason, retryable: err.retryable }).toEqual({ reason: 'network', retryable: true });
  });
});
