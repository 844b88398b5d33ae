import { parseMessengerWebhook, toMillis } from '../../../../src/channels/messenger/parse';
import { isAppError } from '../../../../src/shared/app-error';
import { jsonFixture } from './fixtures';

const PAGE = '104857392018475';
const A = '24157396829103845';
const B = '7203958146620183';
const NOW = 1767100000000;

const parse = (name: string) => parseMessengerWebhook(jsonFixture(name), NOW);
const kinds = (r: { ignored: { kind: string }[] }) => r.ignored.map((i) => i.kind);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isAppError(e) ? e.code : 'not an AppError';
  }
  return undefined;
}

describe('parseMessengerWebhook', () => {
  it('when a text arrives, then one text event with the mid as id, Vietnamese decoded and ids kept as strings', () => {
    const { events, ignored } = parse('text-vietnamese.json');
    expect(ignored).toEqual([]);
    expect(events).toEqual([
      {
        id: 'm_Qk8xZTc2OTAwMDAxMjM0NTY3ODkwYWJjZGVm',
        channel: 'messenger',
        userId: A,
        recipientId: PAGE,
        timestamp: 1767000000123,
        content: { type: 'text', text: 'Đăng ký khai sinh cho con, giảm 50% lệ phí? Xem https://dichvucong.gov.vn/p/home' },
      },
    ]);
  });

  it('when several entries each hold several messaging items, then every item becomes an event, sorted by timestamp', () => {
    const { events, ignored } = parse('batched.json');
    expect(ignored).toEqual([]);
    expect(events.map((e) => [e.id, e.userId, e.timestamp])).toEqual([
      ['m_A1', A, 1767000000123],
      ['m_B2', B, 1767000000200],
      ['m_A3', A, 1767000000300],
      ['mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_c', A, 1767000000400],
    ]);
  });

  it('when a quick reply is tapped, then a text event with the title as text and the payload', () => {
    const { events } = parse('batched.json');
    expect(events[0]!.content).toEqual({ type: 'text', text: 'Đặt lịch', payload: 'BOOK' });
  });

  it('when Get Started carries an m.me referral, then a referral event with its ref, keyed by the postback mid', () => {
    const { events } = parse('batched.json');
    expect(events[1]).toMatchObject({ id: 'm_B2', userId: B, content: { type: 'referral', ref: 'qr-xa', source: 'SHORTLINK' } });
  });

  it('when two events of one sender share a timestamp, then they keep their arrival order', () => {
    const item = (mid: string) => ({ sender: { id: A }, recipient: { id: PAGE }, timestamp: 5_000_000_000_000, message: { mid, text: mid } });
    const body = { object: 'page', entry: [{ id: PAGE, time: 1, messaging: [item('m_2'), item('m_1'), item('m_3')] }] };
    expect(parseMessengerWebhook(body, NOW).events.map((e) => e.id)).toEqual(['m_2', 'm_1', 'm_3']);
  });

  it('when an echo has the user as sender and no app_id, then it is ignored because of is_echo', () => {
    const { events, ignored } = parse('echoes.json');
    // m_E2 is a Page Inbox echo (app_id 263902037430900): the words of a person, see below
    expect(events.map((e) => [e.id, e.content.type])).toEqual([
      ['m_E2', 'page_reply'],
      ['m_U1', 'text'],
    ]);
    expect(kinds({ ignored })).toEqual(['echo']);
  });

  it('when staff reply in the Page Inbox, then a page_reply event in the citizen\'s conversation; our own echoes stay ignored', () => {
    const { events, ignored } = parse('page-inbox-echoes.json');
    expect(events).toEqual([
      {
        id: 'm_PI1_2f8a9Xq',
        channel: 'messenger',
        userId: A,
        recipientId: PAGE,
        timestamp: 1767000010100,
        content: { type: 'page_reply', text: 'Chào anh, em là cán bộ tư pháp. Hồ sơ khai sinh anh mang bản gốc CCCD nhé.' },
      },
      // app_id as a string, an image without text
      { id: 'm_PI2_b0e4', channel: 'messenger', userId: A, recipientId: PAGE, timestamp: 1767000010300, content: { type: 'page_reply', text: '[image]' } },
      // the Business Suite inbox id some vendors cite
      { id: 'm_BS1_91aa', channel: 'messenger', userId: A, recipientId: PAGE, timestamp: 1767000010400, content: { type: 'page_reply', text: 'Anh cần thêm gì cứ nhắn ạ.' } },
      { id: 'm_U9_c41d', channel: 'messenger', userId: A, recipientId: PAGE, timestamp: 1767000010500, content: { type: 'text', text: 'Dạ em cảm ơn' } },
    ]);
    // m_OWN1: the echo of what our app sent
    expect(ignored).toEqual([{ kind: 'echo', reason: expect.stringContaining('an app sent') }]);
  });

  it('when a Page Inbox echo has no mid or no recipient, then it is ignored, not thrown', () => {
    const echo = (message: object, recipient?: object) => ({ sender: { id: PAGE }, ...(recipient ? { recipient } : {}), timestamp: 1767000000000, message: { is_echo: true, app_id: 263902037430900, ...message } });
    const body = { object: 'page', entry: [{ id: PAGE, time: 1, messaging: [echo({ text: 'a' }, { id: A }), echo({ mid: 'm_x', text: 'b' })] }] };
    const { events, ignored } = parseMessengerWebhook(body, NOW);
    expect(events).toEqual([]);
    expect(ignored.map((i) => i.reason)).toEqual(['Page Inbox echo without mid', 'Page Inbox echo without recipient']);
  });

  it('when m.me links, a QR Get Started and plugin opt-ins arrive, then referral events for the ones with a PSID and a ref', () => {
    const { events, ignored } = parse('referrals.json');
    expect(events.map((e) => [e.userId, e.content])).toEqual([
      [A, { type: 'referral', ref: 'khai-sinh', source: 'SHORTLINK' }],
      [B, { type: 'referral', ref: 'MENU_BOOK', source: 'MESSENGER_CODE' }],
      ['5519027733410286', { type: 'referral', ref: 'ket-hon' }],
    ]);
    expect(events[1]!.id).toBe('m_GS1_a81f');
    // a referral has no mid: a stable hash, so a redelivery dedupes
    expect(events[0]!.id).toMatch(/^h:[0-9a-f]{64}$/);
    expect(parse('referrals.json').events[0]!.id).toBe(events[0]!.id);
    // the user_ref-only opt-in has no PSID to answer; the ad referral carries no ref
    expect(ignored).toEqual([
      { kind: 'optin', reason: 'opt-in without sender (plugin user_ref): no PSID to answer' },
      { kind: 'referral', reason: 'referral without a usable ref' },
    ]);
  });

  it('when delivery, read and standby items arrive, then no event and each is listed as ignored', () => {
    const { events, ignored } = parse('receipts-standby.json');
    expect(events).toEqual([]);
    expect(kinds({ ignored })).toEqual(['delivery', 'read', 'standby']);
  });

  it('when a postback has no mid, then its id is a stable hash of sender, timestamp and payload', () => {
    const first = parse('postback-without-mid.json');
    const again = parse('postback-without-mid.json');
    expect(first.events).toHaveLength(1);
    const [event] = first.events;
    expect(event).toMatchObject({ userId: A, timestamp: 1458692752478, content: { type: 'postback', payload: 'MENU_PROC' } });
    expect(event!.id).toMatch(/^h:[0-9a-f]{64}$/);
    expect(again.events[0]!.id).toBe(event!.id);
  });

  it('when the same postback comes from another sender or at another time, then the hash id differs', () => {
    const body = (sender: string, timestamp: number) => ({
      object: 'page',
      entry: [{ id: PAGE, time: 1, messaging: [{ sender: { id: sender }, recipient: { id: PAGE }, timestamp, postback: { payload: 'MENU_PROC' } }] }],
    });
    const id = (s: string, t: number) => parseMessengerWebhook(body(s, t), NOW).events[0]!.id;
    expect(new Set([id(A, 1458692752478), id(B, 1458692752478), id(A, 1458692752479)]).size).toBe(3);
  });

  it('when a postback has a referral but no payload, then it is ignored, not thrown', () => {
    const { ignored } = parse('postback-without-mid.json');
    expect(ignored).toEqual([{ kind: 'postback', reason: 'postback without payload' }]);
  });

  it('when the App Dashboard test body arrives, then it is accepted with no events', () => {
    const { events, ignored } = parse('dashboard-test.json');
    expect(events).toEqual([]);
    expect(kinds({ ignored })).toEqual(['dashboard_test']);
  });

  it('when a sticker comes as an image with sticker_id, as a sticker, or as both, then one sticker attachment each', () => {
    const { events } = parse('stickers.json');
    expect(events).toHaveLength(3);
    for (const e of events) {
      expect(e.content).toEqual({
        type: 'attachments',
        attachments: [{ kind: 'sticker', ref: '369239263222822', url: expect.stringMatching(/^https:\/\/scontent\.xx\.fbcdn\.net\//) }],
      });
    }
  });

  it('when a location is shared, then a location event with lat and lng', () => {
    const { events } = parse('location.json');
    expect(events).toHaveLength(1);
    expect(events[0]!.content).toEqual({ type: 'location', lat: 21.0285, lng: 105.8542, title: 'Vị trí của Nguyễn' });
  });

  it('when text and attachments come together, then one attachments event carrying the text', () => {
    const { events } = parse('text-with-attachments.json');
    expect(events[0]!.content).toEqual({
      type: 'attachments',
      text: 'Ảnh giấy tờ mặt trước và đơn đề nghị',
      attachments: [
        { kind: 'image', url: expect.stringContaining('https://scontent.xx.fbcdn.net/') },
        { kind: 'file', url: expect.stringContaining('don_de_nghi.pdf') },
      ],
    });
  });

  it('when reactions, edits, an optin without sender and an unknown kind arrive, then they are ignored and the reply still parses', () => {
    const { events, ignored } = parse('other-kinds.json');
    expect(kinds({ ignored })).toEqual(['reaction', 'message_edit', 'optin', 'messaging_feedback']);
    expect(ignored[2]!.reason).toMatch(/without sender/);
    expect(events.map((e) => e.content)).toEqual([{ type: 'text', text: 'Giờ làm việc?' }]);
  });

  it('when an item has no timestamp, then the entry time is used, and without it the given now', () => {
    const message = { sender: { id: A }, message: { mid: 'm_X', text: 'hi' } };
    expect(parseMessengerWebhook({ object: 'page', entry: [{ time: 1767000000999, messaging: [message] }] }, NOW).events[0]!.timestamp).toBe(1767000000999);
    expect(parseMessengerWebhook({ object: 'page', entry: [{ messaging: [message] }] }, NOW).events[0]!.timestamp).toBe(NOW);
  });

  it('when a timestamp is a string in seconds, then it becomes milliseconds', () => {
    const body = { object: 'page', entry: [{ id: PAGE, messaging: [{ sender: { id: A }, timestamp: '1767000000', message: { mid: 'm_S', text: 'x' } }] }] };
    expect(parseMessengerWebhook(body, NOW).events[0]!.timestamp).toBe(1767000000000);
  });

  it.each([
    [1767000000123, 1767000000123],
    [1767000000, 1767000000000],
    ['1767000000', 1767000000000],
    ['1767000000123', 1767000000123],
    ['soon', undefined],
    [-5, undefined],
    [null, undefined],
  ])('when the time is %p, then toMillis gives %p', (input, expected) => {
    expect(toMillis(input)).toBe(expected);
  });

  it('when items or entries are not objects, then they are ignored, not thrown', () => {
    const body = { object: 'page', entry: [null, 'x', { id: PAGE, messaging: [42, { sender: { id: A } }] }, { id: PAGE }] };
    const { events, ignored } = parseMessengerWebhook(body, NOW);
    expect(events).toEqual([]);
    expect(kinds({ ignored })).toEqual(['entry', 'entry', 'unknown', 'unknown', 'entry']);
  });

  it('when a message has no sender id, then it is ignored', () => {
    const body = { object: 'page', entry: [{ messaging: [{ sender: { id: 42 }, message: { mid: 'm', text: 'x' } }] }] };
    expect(parseMessengerWebhook(body, NOW).ignored).toEqual([{ kind: 'message', reason: 'no sender id' }]);
  });

  it('when the object is not "page", then UNKNOWN_WEBHOOK_OBJECT', () => {
    expect(codeOf(() => parseMessengerWebhook({ object: 'instagram', entry: [] }, NOW))).toBe('UNKNOWN_WEBHOOK_OBJECT');
    expect(codeOf(() => parseMessengerWebhook({ entry: [] }, NOW))).toBe('UNKNOWN_WEBHOOK_OBJECT');
  });

  it('when entry is not an array, then VALIDATION_FAILED', () => {
    expect(codeOf(() => parseMessengerWebhook({ object: 'page', entry: {} }, NOW))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => parseMessengerWebhook({ object: 'page' }, NOW))).toBe('VALIDATION_FAILED');
  });

  it('when the body is not an object, then VALIDATION_FAILED', () => {
    expect(codeOf(() => parseMessengerWebhook([], NOW))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => parseMessengerWebhook('page', NOW))).toBe('VALIDATION_FAILED');
  });
});
