import { parseConsoleLine } from '../../../src/channels/console/parse';
import { renderConsoleMessage } from '../../../src/channels/console/render';

describe('console channel', () => {
  const menu = { type: 'text' as const, text: 'Ông/bà cần hỗ trợ việc gì ạ?', choices: [{ title: 'Thủ tục hành chính', payload: 'MENU_PROCEDURES' }, { title: 'Một tiêu đề dài hơn hai mươi ký tự', payload: 'LONG' }] };

  it('when choices are shown Messenger-style, then they are numbered chips cut at 20 characters', () => {
    const r = renderConsoleMessage(menu, 'messenger');
    expect(r.text).toContain('( 1. Thủ tục hành chính )');
    expect(r.text).toContain('( 2. Một tiêu đề dài hơn… )');
    expect(r.offered).toEqual(menu.choices);
  });

  it('when choices are shown Zalo-style, then they are stacked numbered buttons', () => {
    expect(renderConsoleMessage(menu, 'zalo').text).toContain('\n  [ 1. Thủ tục hành chính ]\n  [ 2. Một tiêu đề dài hơn hai mươi ký tự ]');
  });

  it('when a number is typed, then it taps the choice as each platform delivers it', () => {
    expect(parseConsoleLine('1', menu.choices, 'messenger')).toEqual({ type: 'text', text: 'Thủ tục hành chính', payload: 'MENU_PROCEDURES' });
    expect(parseConsoleLine('1', menu.choices, 'zalo')).toEqual({ type: 'postback', payload: 'MENU_PROCEDURES', title: 'Thủ tục hành chính' });
    expect(parseConsoleLine('7', menu.choices, 'zalo')).toEqual({ type: 'text', text: '7' });
  });

  it('when a slash command is typed, then it plays that event', () => {
    expect(parseConsoleLine('/follow', [], 'zalo')).toEqual({ type: 'follow' });
    expect(parseConsoleLine('/location 19.9, 105.8', [], 'zalo')).toEqual({ type: 'location', lat: 19.9, lng: 105.8 });
    expect(parseConsoleLine('/sticker', [], 'zalo')).toMatchObject({ type: 'attachments' });
    expect(parseConsoleLine('   ', [], 'zalo')).toBeNull();
  });

  it('when buttons include a link and a phone, then they are shown but only postbacks are numbered', () => {
    const r = renderConsoleMessage({ type: 'buttons', text: 'Liên hệ', buttons: [{ type: 'url', title: 'Cổng DVC', url: 'https://dichvucong.gov.vn' }, { type: 'postback', title: 'Menu', payload: 'CMD_MENU' }] }, 'messenger');
    expect(r.text).toContain('Cổng DVC → https://dichvucong.gov.vn');
    expect(r.offered).toEqual([{ title: 'Menu', payload: 'CMD_MENU' }]);
  });
});
