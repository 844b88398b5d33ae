import { renderForConsole } from '../../../src/channels/console/render';
import { renderMessengerMessages } from '../../../src/channels/messenger/render';
import type { Choice } from '../../../src/channels/types';
import { renderZaloMessages } from '../../../src/channels/zalo/render';

const choices = (titles: string[]): Choice[] => titles.map((title, i) => ({ title, payload: `P_${i + 1}` }));

describe('the console shows what the platform renderer sends', () => {
  const menu = { type: 'text' as const, text: 'Ông/bà cần hỗ trợ việc gì ạ?', choices: [{ title: 'Thủ tục hành chính', payload: 'MENU_PROCEDURES' }, { title: 'Chứng thực hợp đồng, giao dịch', payload: 'LONG' }] };

  it('when a title is longer than Messenger allows, then the chip shows the title the Send API body carries, cut at a word', () => {
    const [screen] = renderForConsole(menu, 'messenger', 'u');
    const wire = renderMessengerMessages('u', menu)[0];
    expect(wire).toMatchObject({ message: { quick_replies: [{ title: 'Thủ tục hành chính' }, { title: 'Chứng thực hợp…' }] } });
    expect(screen.text).toBe('Ông/bà cần hỗ trợ việc gì ạ?\n( 1. Thủ tục hành chính ) ( 2. Chứng thực hợp… )');
    expect(screen.taps).toEqual([
      { kind: 'quick_reply', title: 'Thủ tục hành chính', payload: 'MENU_PROCEDURES' },
      { kind: 'quick_reply', title: 'Chứng thực hợp…', payload: 'LONG' },
    ]);
  });

  it('when there are more than 13 choices on Messenger, then only the 13 chips Messenger shows can be tapped', () => {
    const [screen] = renderForConsole({ type: 'text', text: 'Chọn', choices: choices(Array.from({ length: 16 }, (_, i) => `Mục ${i + 1}`)) }, 'messenger', 'u');
    expect(screen.taps).toHaveLength(13);
    expect(screen.text).toContain('( 13. Mục 13 )');
    expect(screen.text).not.toContain('Mục 14');
  });

  it('when there are more choices than Zalo buttons, then the text lists them all numbered and the 5 buttons carry the same numbers, exactly as the wire text', () => {
    const message = { type: 'text' as const, text: 'Nội dung thuộc lĩnh vực nào?', choices: choices(['Đất đai', 'Bồi thường, GPMB', 'Môi trường', 'An ninh trật tự', 'Hạ tầng, giao thông', 'Chính sách xã hội', 'Khác']) };
    const [screen] = renderForConsole(message, 'zalo', 'u');
    const wireText = renderZaloMessages('u', message)[0].message.text!;
    expect(wireText).toBe('Nội dung thuộc lĩnh vực nào?\n1. Đất đai\n2. Bồi thường, GPMB\n3. Môi trường\n4. An ninh trật tự\n5. Hạ tầng, giao thông\n6. Chính sách xã hội\n7. Khác');
    expect(screen.text).toBe(`${wireText}\n  [ 1. 1. Đất đai ]\n  [ 2. 2. Bồi thường, GPMB ]\n  [ 3. 3. Môi trường ]\n  [ 4. 4. An ninh trật tự ]\n  [ 5. 5. Hạ tầng, giao thông ]`);
    expect(screen.taps).toHaveLength(5);
    expect(screen.taps[0]).toEqual({ kind: 'zalo_query', title: '1. Đất đai', payload: 'P_1' });
  });

  it('when Messenger buttons include a link and a phone, then they show in the template but only the postback can be tapped, as a postback', () => {
    const [screen] = renderForConsole(
      { type: 'buttons', text: 'Liên hệ', buttons: [{ type: 'url', title: 'Cổng DVC', url: 'https://dichvucong.gov.vn' }, { type: 'phone', title: 'Gọi xã', phone: '0237 3812 345' }, { type: 'postback', title: 'Menu', payload: 'CMD_MENU' }] },
      'messenger',
      'u',
    );
    expect(screen.text).toBe('Liên hệ\n  [ Cổng DVC → https://dichvucong.gov.vn ]\n  [ Gọi xã ☎ +842373812345 ]\n  [ 1. Menu ]');
    expect(screen.taps).toEqual([{ kind: 'postback', title: 'Menu', payload: 'CMD_MENU' }]);
  });

  it('when a message has more than 3 buttons on Messenger, then, as the renderer sends it, the postbacks become chips and the link goes into the text', () => {
    const buttons = [
      { type: 'url' as const, title: 'Cổng DVC', url: 'https://dichvucong.gov.vn' },
      ...choices(['Một', 'Hai', 'Ba']).map((c) => ({ type: 'postback' as const, ...c })),
    ];
    const [screen] = renderForConsole({ type: 'buttons', text: 'Chọn', buttons }, 'messenger', 'u');
    expect(screen.text).toBe('Chọn\nCổng DVC: https://dichvucong.gov.vn\n( 1. Một ) ( 2. Hai ) ( 3. Ba )');
    expect(screen.taps.every((t) => t.kind === 'quick_reply')).toBe(true);
  });

  it('when Zalo buttons include a link and a phone, then they show as buttons and only the query button can be tapped', () => {
    const [screen] = renderForConsole(
      { type: 'buttons', text: 'Liên hệ', buttons: [{ type: 'url', title: 'Cổng DVC', url: 'https://dichvucong.gov.vn' }, { type: 'phone', title: 'Gọi xã', phone: '02373812345' }, { type: 'postback', title: 'Menu', payload: 'CMD_MENU' }] },
      'zalo',
      'u',
    );
    expect(screen.text).toBe('Liên hệ\n  [ Cổng DVC → https://dichvucong.gov.vn ]\n  [ Gọi xã ☎ 02373812345 ]\n  [ 1. Menu ]');
    expect(screen.taps).toEqual([{ kind: 'zalo_query', title: 'Menu', payload: 'CMD_MENU' }]);
  });

  it('when text is longer than the platform takes, then it shows as the several messages the platform gets, the choices on the last', () => {
    const long = `${'Một câu dài. '.repeat(200)}Chọn?`;
    for (const platform of ['messenger', 'zalo'] as const) {
      const screens = renderForConsole({ type: 'text', text: long, choices: choices(['Có', 'Không']) }, platform, 'u');
      expect(screens.length).toBeGreaterThan(1);
      expect(screens.slice(0, -1).every((s) => s.taps.length === 0)).toBe(true);
      expect(screens.at(-1)!.taps.map((t) => t.title)).toEqual(['Có', 'Không']);
    }
  });

  it('when an image with a caption or a typing indicator is sent, then the image shows with its caption and typing shows nothing', () => {
    expect(renderForConsole({ type: 'image', url: 'https://x.invalid/a.jpg', caption: 'Bản đồ' }, 'messenger', 'u').map((s) => s.text)).toEqual(['[ảnh] https://x.invalid/a.jpg', 'Bản đồ']);
    expect(renderForConsole({ type: 'image', url: 'https://x.invalid/a.jpg', caption: 'Bản đồ' }, 'zalo', 'u').map((s) => s.text)).toEqual(['[ảnh] https://x.invalid/a.jpg\nBản đồ']);
    expect(renderForConsole({ type: 'typing' }, 'messenger', 'u')).toEqual([]);
    expect(renderForConsole({ type: 'typing' }, 'zalo', 'u')).toEqual([]);
  });
});
