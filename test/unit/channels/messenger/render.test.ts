import { renderMessengerMessage, renderMessengerMessages } from '../../../../src/channels/messenger/render';
import { isSendError, type Button } from '../../../../src/channels/types';

const PSID = '24157396829103845';

describe('renderMessengerMessage', () => {
  it('when a text answers the person, then a RESPONSE with the NFC text', () => {
    expect(renderMessengerMessage(PSID, { type: 'text', text: 'Xin chào'.normalize('NFD') }, 'response')).toEqual({
      recipient: { id: PSID },
      messaging_type: 'RESPONSE',
      message: { text: 'Xin chào' },
    });
  });

  it('when a status update is sent, then messaging_type UPDATE', () => {
    expect(renderMessengerMessage(PSID, { type: 'text', text: 'Hồ sơ đã được tiếp nhận' }, 'update')).toEqual({
      recipient: { id: PSID },
      messaging_type: 'UPDATE',
      message: { text: 'Hồ sơ đã được tiếp nhận' },
    });
  });

  it('when an official typed the words, then MESSAGE_TAG with HUMAN_AGENT and no other tag', () => {
    const body = renderMessengerMessage(PSID, { type: 'text', text: 'Chào anh, cán bộ tư pháp đây.' }, 'human');
    expect(body).toEqual({
      recipient: { id: PSID },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: { text: 'Chào anh, cán bộ tư pháp đây.' },
    });
    expect(JSON.stringify(body)).not.toMatch(/CONFIRMED_EVENT_UPDATE|POST_PURCHASE_UPDATE|ACCOUNT_UPDATE/);
  });

  it('when the purpose is not given, then RESPONSE', () => {
    expect(renderMessengerMessage(PSID, { type: 'text', text: 'x' })).toMatchObject({ messaging_type: 'RESPONSE' });
  });

  it('when a text has choices, then quick replies with titles cut to 20', () => {
    const body = renderMessengerMessage(PSID, {
      type: 'text',
      text: 'Bạn cần thủ tục nào?',
      choices: [
        { title: 'Khai sinh', payload: 'PROC_BIRTH' },
        { title: 'Đăng ký khai sinh cho con', payload: 'PROC_BIRTH_CHILD' },
      ],
    });
    expect(body).toEqual({
      recipient: { id: PSID },
      messaging_type: 'RESPONSE',
      message: {
        text: 'Bạn cần thủ tục nào?',
        quick_replies: [
          { content_type: 'text', title: 'Khai sinh', payload: 'PROC_BIRTH' },
          { content_type: 'text', title: 'Đăng ký khai sinh…', payload: 'PROC_BIRTH_CHILD' },
        ],
      },
    });
  });

  it('when there are more than 13 choices, then only the first 13 are sent', () => {
    const choices = Array.from({ length: 15 }, (_, i) => ({ title: `Mục ${i + 1}`, payload: `P${i + 1}` }));
    const body = renderMessengerMessage(PSID, { type: 'text', text: 'Chọn', choices }) as { message: { quick_replies: unknown[] } };
    expect(body.message.quick_replies).toHaveLength(13);
  });

  it('when up to 3 buttons, then the exact button template', () => {
    const body = renderMessengerMessage(PSID, {
      type: 'buttons',
      text: 'Bạn cần gì?',
      buttons: [
        { type: 'postback', title: 'Thủ tục', payload: 'PROC' },
        { type: 'url', title: 'Dịch vụ công', url: 'https://dichvucong.gov.vn' },
        { type: 'phone', title: 'Gọi UBND xã', phone: '0243 826 1234' },
      ],
    });
    expect(body).toEqual({
      recipient: { id: PSID },
      messaging_type: 'RESPONSE',
      message: {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'button',
            text: 'Bạn cần gì?',
            buttons: [
              { type: 'postback', title: 'Thủ tục', payload: 'PROC' },
              { type: 'web_url', title: 'Dịch vụ công', url: 'https://dichvucong.gov.vn' },
              { type: 'phone_number', title: 'Gọi UBND xã', payload: '+842438261234' },
            ],
          },
        },
      },
    });
  });

  it('when more than 3 buttons, then quick replies for postbacks and links written into the text', () => {
    const buttons: Button[] = [
      { type: 'postback', title: 'Khai sinh', payload: 'P1' },
      { type: 'postback', title: 'Khai tử', payload: 'P2' },
      { type: 'postback', title: 'Kết hôn', payload: 'P3' },
      { type: 'url', title: 'Cổng DVC', url: 'https://dichvucong.gov.vn' },
    ];
    expect(renderMessengerMessage(PSID, { type: 'buttons', text: 'Chọn thủ tục', buttons })).toEqual({
      recipient: { id: PSID },
      messaging_type: 'RESPONSE',
      message: {
        text: 'Chọn thủ tục\nCổng DVC: https://dichvucong.gov.vn',
        quick_replies: [
          { content_type: 'text', title: 'Khai sinh', payload: 'P1' },
          { content_type: 'text', title: 'Khai tử', payload: 'P2' },
          { content_type: 'text', title: 'Kết hôn', payload: 'P3' },
        ],
      },
    });
  });

  it('when an image is sent, then a reusable image attachment', () => {
    expect(renderMessengerMessage(PSID, { type: 'image', url: 'https://xa.example.gov.vn/so-do.png' })).toEqual({
      recipient: { id: PSID },
      messaging_type: 'RESPONSE',
      message: { attachment: { type: 'image', payload: { url: 'https://xa.example.gov.vn/so-do.png', is_reusable: true } } },
    });
  });

  it('when typing is shown, then sender_action typing_on alone with the recipient', () => {
    expect(renderMessengerMessage(PSID, { type: 'typing' }, 'update')).toEqual({ recipient: { id: PSID }, sender_action: 'typing_on' });
  });

  it('when one body would exceed the text limit, then a final bad_request SendError', () => {
    const err = catchError(() => renderMessengerMessage(PSID, { type: 'text', text: 'a'.repeat(2000) }));
    expect(isSendError(err) && err.reason === 'bad_request' && !err.retryable).toBe(true);
    expect(() => renderMessengerMessage(PSID, { type: 'text', text: 'ă'.repeat(1999) })).not.toThrow();
  });

  it('when a payload exceeds 1000 characters, then a final bad_request SendError', () => {
    const err = catchError(() => renderMessengerMessage(PSID, { type: 'text', text: 'x', choices: [{ title: 't', payload: 'p'.repeat(1001) }] }));
    expect(isSendError(err) && err.reason === 'bad_request').toBe(true);
  });
});

describe('renderMessengerMessages', () => {
  it('when text is longer than 1999, then several text bodies in order with the choices on the last', () => {
    const text = `${'Giấy tờ cần mang theo. '.repeat(80)}\n\n${'Lệ phí và thời hạn giải quyết. '.repeat(40)}`;
    const bodies = renderMessengerMessages(PSID, { type: 'text', text, choices: [{ title: 'Đặt lịch', payload: 'BOOK' }] }) as {
      message: { text: string; quick_replies?: unknown[] };
    }[];
    expect(bodies.length).toBe(2);
    expect(bodies[0]!.message.quick_replies).toBeUndefined();
    expect(bodies[1]!.message.quick_replies).toEqual([{ content_type: 'text', title: 'Đặt lịch', payload: 'BOOK' }]);
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    expect(bodies[0]!.message.text.endsWith('mang theo.')).toBe(true);
    expect(words(bodies.map((b) => b.message.text).join(' '))).toEqual(words(text));
  });

  it('when button text is longer than 640, then leading text bodies and a template holding the rest', () => {
    const text = 'Hướng dẫn nộp hồ sơ trực tuyến. '.repeat(30);
    const bodies = renderMessengerMessages(PSID, { type: 'buttons', text, buttons: [{ type: 'postback', title: 'Nộp', payload: 'SUBMIT' }] });
    expect(bodies.length).toBeGreaterThan(1);
    const last = bodies[bodies.length - 1] as { message: { attachment: { payload: { text: string } } } };
    expect([...last.message.attachment.payload.text].length).toBeLessThanOrEqual(640);
    expect(bodies.slice(0, -1).every((b) => 'message' in b && 'text' in b.message)).toBe(true);
  });

  it('when an image has a caption, then the image then the caption as text', () => {
    expect(renderMessengerMessages(PSID, { type: 'image', url: 'https://x.vn/a.png', caption: 'Sơ đồ trụ sở' }, 'update')).toEqual([
      { recipient: { id: PSID }, messaging_type: 'UPDATE', message: { attachment: { type: 'image', payload: { url: 'https://x.vn/a.png', is_reusable: true } } } },
      { recipient: { id: PSID }, messaging_type: 'UPDATE', message: { text: 'Sơ đồ trụ sở' } },
    ]);
  });

  it('when a short text is sent, then exactly the single body', () => {
    expect(renderMessengerMessages(PSID, { type: 'text', text: 'Vâng' })).toEqual([renderMessengerMessage(PSID, { type: 'text', text: 'Vâng' })]);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}
