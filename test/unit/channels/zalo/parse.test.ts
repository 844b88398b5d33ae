import { parseZaloWebhook } from '../../../../src/channels/zalo/parse';
import type { InboundEvent } from '../../../../src/channels/types';
import { isAppError } from '../../../../src/shared/app-error';
import { OA_ID, USER_ID, zaloFixture } from './fakes';

const NOW = 1_800_000_000_000;

function parseFixture(name: string) {
  return parseZaloWebhook(JSON.parse(zaloFixture(name).toString('utf8')), NOW);
}

function onlyEvent(name: string): InboundEvent {
  const { events, ignored } = parseFixture(name);
  expect(ignored).toEqual([]);
  expect(events).toHaveLength(1);
  return events[0];
}

describe('parseZaloWebhook', () => {
  test('when a user sends text, then it is a text event from the sender to the OA with the msg_id as id', () => {
    expect(onlyEvent('user_send_text')).toEqual({
      id: 'zalo:b8de7d84fa1b3043690c',
      channel: 'zalo',
      userId: USER_ID,
      recipientId: OA_ID,
      timestamp: 1751100041636,
      content: { type: 'text', text: 'Cho hỏi thủ tục cấp CCCD cho con 14 tuổi cần giấy tờ gì ạ?' },
    });
  });

  test('when ids exceed 2^53, then they stay exact strings', () => {
    const e = onlyEvent('user_send_text');
    expect(BigInt(USER_ID) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(e.userId).toBe('8309175123456789013');
    expect(e.recipientId).toBe('1423987654321098765');
    expect(String(Number(USER_ID))).not.toBe(USER_ID);
  });

  test('when a button payload comes back as text, then it stays text for the engine', () => {
    const body = JSON.parse(zaloFixture('user_send_text').toString('utf8'));
    body.message.text = 'procedure:cccd';
    expect(parseZaloWebhook(body, NOW).events[0].content).toEqual({ type: 'text', text: 'procedure:cccd' });
  });

  test('when a user sends an image with a caption, then it is an image attachment with the caption as text', () => {
    expect(onlyEvent('user_send_image')).toMatchObject({
      id: 'zalo:c91f2e0a7b3d4c5e6f70',
      userId: USER_ID,
      timestamp: 1751100123456,
      content: {
        type: 'attachments',
        attachments: [{ kind: 'image', url: 'https://photo-stal-1.zdn.vn/ab12.jpg' }],
        text: 'Ổ gà trước nhà văn hoá thôn Đông',
      },
    });
  });

  test('when a user sends a gif, then it is an image attachment', () => {
    expect(onlyEvent('user_send_gif').content).toEqual({
      type: 'attachments',
      attachments: [{ kind: 'image', url: 'https://zalo.me/g.gif' }],
      text: 'This is testing message',
    });
  });

  test('when a user sends a location, then the string coordinates become numbers and the place name the title', () => {
    expect(onlyEvent('user_send_location').content).toEqual({
      type: 'location',
      lat: 18.4651,
      lng: 105.7142,
      title: 'Nhà văn hoá thôn Đông, xã Thiên Lộc',
    });
  });

  test('when a location has unreadable coordinates, then it is ignored, not thrown', () => {
    const body = JSON.parse(zaloFixture('user_send_location').toString('utf8'));
    body.message.attachments[0].payload.coordinates.latitude = 'abc';
    expect(parseZaloWebhook(body, NOW)).toEqual({
      events: [],
      ignored: [{ kind: 'user_send_location', reason: 'location without valid coordinates' }],
    });
  });

  test('when a user sends a file (size as a string, no text), then it is a file attachment with its name', () => {
    expect(onlyEvent('user_send_file').content).toEqual({
      type: 'attachments',
      attachments: [{ kind: 'file', url: 'https://f1.zdn.vn/don-de-nghi.pdf', name: 'đơn đề nghị.pdf' }],
    });
  });

  test('when a user sends a sticker, then it is a sticker attachment with its id as ref', () => {
    expect(onlyEvent('user_send_sticker').content).toEqual({
      type: 'attachments',
      attachments: [{ kind: 'sticker', url: 'https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid=46991', ref: 'bd2a5a1d5158b80fe149' }],
      text: 'This is testing message',
    });
  });

  test.each([
    ['user_send_link', { kind: 'link', url: 'https://dichvucong.gov.vn' }],
    ['user_send_audio', { kind: 'audio', url: 'https://voice.zdn.vn/v.aac' }],
    ['user_send_video', { kind: 'video', url: 'https://video.zdn.vn/v.mp4' }],
  ])('when a user sends %s, then it is that kind of attachment', (name, attachment) => {
    const content = onlyEvent(name).content;
    expect(content.type).toBe('attachments');
    expect(content.type === 'attachments' && content.attachments).toEqual([attachment]);
  });

  test('when someone follows the OA, then the follower id is the user and the OA id the recipient', () => {
    expect(onlyEvent('follow')).toEqual({
      id: expect.stringMatching(/^zalo:h:[0-9a-f]{64}$/),
      channel: 'zalo',
      userId: USER_ID,
      recipientId: OA_ID,
      timestamp: 1751100500000,
      content: { type: 'follow' },
    });
  });

  test('when someone unfollows the OA, then it is an unfollow from the follower', () => {
    expect(onlyEvent('unfollow')).toMatchObject({ userId: USER_ID, content: { type: 'unfollow' } });
  });

  test('when a user submits info in the flat shape, then it is a contact with the address parts joined', () => {
    expect(onlyEvent('user_submit_info')).toMatchObject({
      userId: USER_ID,
      content: {
        type: 'contact',
        name: 'Nguyễn Văn An',
        phone: '0912345678',
        address: 'Số 12 đường Lê Lợi, Xã Thiên Lộc, Huyện Can Lộc, Hà Tĩnh',
      },
    });
  });

  test('when a user submits info in the newer shape, then it is a contact built from full_address', () => {
    expect(onlyEvent('user_submit_info_full_address').content).toEqual({
      type: 'contact',
      name: 'Trần Thị Bình',
      phone: '84912345678',
      address: 'Thôn Đông, Xã Thiên Lộc, Huyện Can Lộc, Hà Tĩnh',
    });
  });

  test.each([
    ['oa_send_text', 'echo of a message the OA sent'],
    ['user_seen_message', 'delivery or read receipt'],
    ['user_received_message', 'delivery or read receipt'],
    ['add_user_to_tag', 'event kind not handled'],
  ])('when the event is %s, then it is ignored with a reason and nothing is emitted', (name, reason) => {
    expect(parseFixture(name)).toEqual({ events: [], ignored: [{ kind: name, reason }] });
  });

  test('when the event kind is unknown to anyone, then it is ignored, never thrown', () => {
    expect(parseZaloWebhook({ event_name: 'user_reacted_message', sender: { id: '1' } }, NOW).ignored).toEqual([
      { kind: 'user_reacted_message', reason: 'event kind not handled' },
    ]);
  });

  test('when a user event has no sender, then it is ignored', () => {
    expect(parseZaloWebhook({ event_name: 'user_send_text', message: { text: 'x' } }, NOW).ignored).toEqual([
      { kind: 'user_send_text', reason: 'no sender id' },
    ]);
  });

  test('when msg_id is the console literal "This is message id", then the id is a hash of the event identity', () => {
    const a = onlyEvent('user_send_file');
    expect(a.id).toMatch(/^zalo:h:[0-9a-f]{64}$/);
    expect(onlyEvent('user_send_file').id).toBe(a.id);
    expect(onlyEvent('user_send_gif').id).not.toBe(a.id);
  });

  test('when the same hashed event is delivered again, then it has the same id; a later one has another', () => {
    const body = JSON.parse(zaloFixture('follow').toString('utf8'));
    const first = parseZaloWebhook(body, NOW).events[0].id;
    expect(parseZaloWebhook(structuredClone(body), NOW + 5000).events[0].id).toBe(first);
    expect(parseZaloWebhook({ ...body, timestamp: '1751100500001' }, NOW).events[0].id).not.toBe(first);
  });

  test('when the timestamp is missing or not digits, then now is used', () => {
    expect(parseZaloWebhook({ event_name: 'follow', follower: { id: '5' } }, NOW).events[0].timestamp).toBe(NOW);
    expect(parseZaloWebhook({ event_name: 'follow', follower: { id: '5' }, timestamp: 'soon' }, NOW).events[0].timestamp).toBe(NOW);
  });

  test.each([[null], [[]], ['text'], [42], [{}], [{ event_name: '' }], [{ event_name: 7 }]])(
    'when the body is %j, then it throws VALIDATION_FAILED',
    (body) => {
      let caught: unknown;
      try {
        parseZaloWebhook(body, NOW);
      } catch (e) {
        caught = e;
      }
      expect(isAppError(caught) && caught.code).toBe('VALIDATION_FAILED');
    },
  );
});
