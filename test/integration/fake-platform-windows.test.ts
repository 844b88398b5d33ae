// The fake platforms refuse what the real ones refuse (platforms/*.md), so that a test that sends
// outside a window fails the way production would.
import axios from 'axios';
import { createMessengerSender } from '../../src/channels/messenger';
import { isSendError, type SendError } from '../../src/channels/types';
import { createZaloSender } from '../../src/channels/zalo';
import type { ZaloTokenManager } from '../../src/channels/zalo/tokens';
import { silentLogger } from '../../src/shared/logger';
import { startFakePlatforms } from '../helpers/fake-platforms';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const tokens: ZaloTokenManager = { getAccessToken: async () => 'AT', refreshAfterRejection: async () => 'AT' };

async function failure(p: Promise<unknown>): Promise<SendError> {
  try {
    await p;
  } catch (e) {
    if (isSendError(e)) return e;
    throw e;
  }
  throw new Error('expected a SendError');
}

describe('the fake platforms enforce the messaging windows', () => {
  let fake: Awaited<ReturnType<typeof startFakePlatforms>>;
  let messenger: ReturnType<typeof createMessengerSender>;
  let zalo: ReturnType<typeof createZaloSender>;

  beforeEach(async () => {
    fake = await startFakePlatforms();
    messenger = createMessengerSender({ appSecret: 's', verifyToken: 'v', pageAccessToken: 'T', apiBase: fake.messengerBase }, { log: silentLogger });
    zalo = createZaloSender({ appId: '1', appSecret: 's', oaSecretKey: 'k', apiBase: fake.zaloBase, oauthBase: fake.zaloOauthBase, znsApiBase: fake.znsBase }, { tokens, log: silentLogger });
  });
  afterEach(() => fake.close());

  test('when Messenger gets a plain message 25 h after the person wrote, then it refuses with 10/2018278; within 24 h it accepts', async () => {
    fake.userWrote('messenger', 'late', Date.now() - 25 * HOUR);
    fake.userWrote('messenger', 'recent', Date.now() - 23 * HOUR);
    const err = await failure(messenger.send('late', { type: 'text', text: 'Xin chào' }, { purpose: 'update' }));
    expect({ reason: err.reason, retryable: err.retryable, platformCode: err.platformCode }).toEqual({ reason: 'window_closed', retryable: false, platformCode: '10/2018278' });
    await messenger.send('recent', { type: 'text', text: 'Xin chào' }, { purpose: 'update' });
    expect(fake.accepted('messenger').map((r) => (r.body.recipient as { id: string }).id)).toEqual(['recent']);
  });

  test('when Messenger gets HUMAN_AGENT, then it accepts it up to 7 days and refuses it after', async () => {
    fake.userWrote('messenger', 'six-days', Date.now() - 6 * DAY);
    fake.userWrote('messenger', 'eight-days', Date.now() - 8 * DAY);
    await messenger.send('six-days', { type: 'text', text: 'Cán bộ trả lời' }, { purpose: 'human' });
    expect((await failure(messenger.send('eight-days', { type: 'text', text: 'Cán bộ trả lời' }, { purpose: 'human' }))).reason).toBe('window_closed');
  });

  test('when Messenger gets an old update tag, then it refuses with error 100 even inside the window', async () => {
    fake.userWrote('messenger', 'psid', Date.now() - HOUR);
    const res = await axios.post(`${fake.messengerBase}/me/messages`, { recipient: { id: 'psid' }, messaging_type: 'MESSAGE_TAG', tag: 'CONFIRMED_EVENT_UPDATE', message: { text: 'Nhắc lịch' } }, { validateStatus: () => true });
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject({ error: { code: 100 } });
  });

  test('when Messenger gets a Utility template long after the person wrote, then it accepts it; a malformed one gets 100', async () => {
    fake.userWrote('messenger', 'psid', Date.now() - 30 * DAY);
    const template = { name: 'cap_nhat_ho_so', language: { code: 'vi' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'PA-1' }] }] };
    const ok = await axios.post(`${fake.messengerBase}/me/messages`, { recipient: { id: 'psid' }, messaging_type: 'UTILITY', message: { template } }, { validateStatus: () => true });
    expect(ok.status).toBe(200);
    const bad = await axios.post(`${fake.messengerBase}/me/messages`, { recipient: { id: 'psid' }, messaging_type: 'UTILITY', message: { template: { name: 'x' } } }, { validateStatus: () => true });
    expect(bad.data).toMatchObject({ error: { code: 100 } });
    expect(fake.accepted('messenger')).toHaveLength(1);
  });

  test('when Zalo gets a consultation message 8 days after the last interaction, then it refuses with -230; at 3 days it accepts (billed)', async () => {
    fake.userWrote('zalo', 'z-8', Date.now() - 8 * DAY);
    fake.userWrote('zalo', 'z-3', Date.now() - 3 * DAY);
    const err = await failure(zalo.send('z-8', { type: 'text', text: 'Thông báo' }));
    expect({ reason: err.reason, retryable: err.retryable, platformCode: err.platformCode }).toEqual({ reason: 'window_closed', retryable: false, platformCode: '-230' });
    await zalo.send('z-3', { type: 'text', text: 'Thông báo' });
    expect(fake.accepted('zalo')).toHaveLength(1);
  });

  test('when a test never said when the person wrote, then every message is accepted as before', async () => {
    await messenger.send('unknown', { type: 'text', text: 'Xin chào' });
    await zalo.send('unknown', { type: 'text', text: 'Xin chào' });
    expect(fake.requests.map((r) => r.outcome)).toEqual(['accepted', 'accepted']);
  });
});
