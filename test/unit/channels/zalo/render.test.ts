import { renderZaloMessage, renderZaloMessages, splitText } from '../../../../src/channels/zalo/render';
import { USER_ID } from './fakes';

const wire = (v: unknown) => JSON.stringify(v);

describe('renderZaloMessage', () => {
  test('when the message is plain text, then the body is exactly recipient.user_id and message.text', () => {
    expect(wire(renderZaloMessage(USER_ID, { type: 'text', text: 'Xin chào, UBND xã Thiên Lộc nghe.' }))).toBe(
      `{"recipient":{"user_id":"${USER_ID}"},"message":{"text":"Xin chào, UBND xã Thiên Lộc nghe."}}`,
    );
  });

  test('when text has choices, then each becomes an oa.query.hide button carrying its payload', () => {
    const body = renderZaloMessage(USER_ID, {
      type: 'text',
      text: 'Anh/chị cần gì?',
      choices: [
        { title: 'Thủ tục', payload: 'menu:procedures' },
        { title: 'Phản ánh', payload: 'menu:petition' },
      ],
    });
    expect(wire(body)).toBe(
      `{"recipient":{"user_id":"${USER_ID}"},"message":{"text":"Anh/chị cần gì?","attachment":{"type":"template","payload":{"buttons":[` +
        `{"title":"Thủ tục","type":"oa.query.hide","payload":"menu:procedures"},` +
        `{"title":"Phản ánh","type":"oa.query.hide","payload":"menu:petition"}]}}}}`,
    );
  });

  test('when buttons are url and phone, then they become oa.open.url and oa.open.phone', () => {
    const body = renderZaloMessage(USER_ID, {
      type: 'buttons',
      text: 'Liên hệ',
      buttons: [
        { type: 'url', title: 'Cổng DVC', url: 'https://dichvucong.gov.vn' },
        { type: 'phone', title: 'Gọi xã', phone: '02393123456' },
        { type: 'postback', title: 'Đặt lịch', payload: 'book' },
      ],
    });
    expect(body).toEqual({
      recipient: { user_id: USER_ID },
      message: {
        text: 'Liên hệ',
        attachment: {
          type: 'template',
          payload: {
            buttons: [
              { title: 'Cổng DVC', type: 'oa.open.url', payload: { url: 'https://dichvucong.gov.vn' } },
              { title: 'Gọi xã', type: 'oa.open.phone', payload: { phone_code: '02393123456' } },
              { title: 'Đặt lịch', type: 'oa.query.hide', payload: 'book' },
            ],
          },
        },
      },
    });
  });

  test('when there are more than 5 choices, then the text lists all of them numbered and the 5 buttons carry the same numbers', () => {
    const choices = Array.from({ length: 7 }, (_, i) => ({ title: `Mục ${i + 1}`, payload: `p${i + 1}` }));
    const body = renderZaloMessage(USER_ID, { type: 'text', text: 'Chọn:', choices });
    expect(body?.message.text).toBe('Chọn:\n1. Mục 1\n2. Mục 2\n3. Mục 3\n4. Mục 4\n5. Mục 5\n6. Mục 6\n7. Mục 7');
    const attachment = body?.message.attachment;
    expect(attachment && 'buttons' in attachment.payload && attachment.payload.buttons.map((b) => b.payload)).toEqual([
      'p1',
      'p2',
      'p3',
      'p4',
      'p5',
    ]);
    expect(attachment && 'buttons' in attachment.payload && attachment.payload.buttons[0].title).toBe('1. Mục 1');
  });

  test('when the message is an image with a caption, then it is the media template with the caption as text', () => {
    expect(wire(renderZaloMessage(USER_ID, { type: 'image', url: 'https://x.vn/so-do.png', caption: 'Sơ đồ' }))).toBe(
      `{"recipient":{"user_id":"${USER_ID}"},"message":{"text":"Sơ đồ","attachment":{"type":"template","payload":` +
        `{"template_type":"media","elements":[{"media_type":"image","url":"https://x.vn/so-do.png"}]}}}}`,
    );
  });

  test('when the image has no caption, then the message has no text', () => {
    expect(renderZaloMessage(USER_ID, { type: 'image', url: 'https://x.vn/a.png' })?.message).toEqual({
      attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', url: 'https://x.vn/a.png' }] } },
    });
  });

  test('when the message is typing, then nothing is rendered', () => {
    expect(renderZaloMessage(USER_ID, { type: 'typing' })).toBeNull();
    expect(renderZaloMessages(USER_ID, { type: 'typing' })).toEqual([]);
  });

  test('when the text is over 2000 characters, then renderZaloMessage refuses and renderZaloMessages splits it', () => {
    const text = `${'a'.repeat(1500)} ${'b'.repeat(1500)}`;
    expect(() => renderZaloMessage(USER_ID, { type: 'text', text })).toThrow(RangeError);
    const bodies = renderZaloMessages(USER_ID, { type: 'text', text, choices: [{ title: 'OK', payload: 'ok' }] });
    expect(bodies.map((b) => b.message.text)).toEqual(['a'.repeat(1500), 'b'.repeat(1500)]);
    expect(bodies[0].message.attachment).toBeUndefined();
    expect(bodies[1].message.attachment).toBeDefined();
  });
});

describe('splitText', () => {
  test('when text fits, then it is one part', () => {
    expect(splitText('ngắn')).toEqual(['ngắn']);
    expect(splitText('')).toEqual(['']);
    expect(splitText('x'.repeat(2000))).toHaveLength(1);
  });

  test('when text is long, then it breaks at the last line break within the limit, in order', () => {
    expect(splitText('dòng một\ndòng hai\ndòng ba', 12)).toEqual(['dòng một', 'dòng hai', 'dòng ba']);
  });

  test('when there is no line break, then it breaks at a space; else it cuts hard', () => {
    expect(splitText('một hai ba bốn', 8)).toEqual(['một hai', 'ba bốn']);
    expect(splitText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  test('when a hard cut would split a surrogate pair, then the pair stays whole', () => {
    const parts = splitText('abc😀def', 4);
    expect(parts).toEqual(['abc', '😀de', 'f']);
    expect(parts.join('')).toBe('abc😀def');
  });

  test('when any text is split, then every part fits and the words survive', () => {
    const text = Array.from({ length: 900 }, (_, i) => `từ${i}`).join(' ');
    const parts = splitText(text);
    expect(parts.every((p) => p.length <= 2000)).toBe(true);
    expect(parts.join(' ')).toBe(text);
  });
});

describe('near Zalo’s 2000 limit, with emoji and Vietnamese', () => {
  const FAMILY = '👨‍👩‍👧‍👦'; // one grapheme, 11 UTF-16 units
  const graphemesOf = (s: string) => [...new Intl.Segmenter('vi', { granularity: 'grapheme' }).segment(s)].map((g) => g.segment);

  test('when 1,980 characters hold 63 emoji (2,043 UTF-16 units), then two parts, each within 2000 units, the buttons on the last', () => {
    const steps = Array.from({ length: 63 }, (_, i) => `Bước ${i % 10} xong 🙏`).join(' ');
    const text = [...`${steps} ${'ghi chú thêm '.repeat(200)}`].slice(0, 1980).join('').trimEnd();
    expect(text.length).toBeGreaterThan(2000);
    const bodies = renderZaloMessages(USER_ID, { type: 'text', text, choices: [{ title: '🙏 Cảm ơn', payload: 'thanks' }] });
    expect(bodies).toHaveLength(2);
    for (const b of bodies) expect((b.message.text ?? '').length).toBeLessThanOrEqual(2000);
    expect(bodies.map((b) => b.message.text).join(' ')).toBe(text);
    expect(bodies[1].message.attachment).toBeDefined();
  });

  test('when Vietnamese arrives decomposed and is 2000 units once composed, then it goes as one NFC message', () => {
    const nfc = 'Đăng ký thường trú tại xã. '.repeat(80).slice(0, 2000);
    expect(nfc.normalize('NFD').length).toBeGreaterThan(2000);
    expect(renderZaloMessages(USER_ID, { type: 'text', text: nfc.normalize('NFD') }).map((b) => b.message.text)).toEqual([nfc]);
  });

  test('when text without spaces is cut hard, then no part tears a family emoji or a letter from its marks', () => {
    const text = `${FAMILY}ệ`.repeat(400);
    const parts = splitText(text.normalize('NFD'));
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(2000);
      expect(graphemesOf(p).every((g) => g === FAMILY || g === 'ệ')).toBe(true);
    }
    expect(parts.join('')).toBe(text);
  });
});
