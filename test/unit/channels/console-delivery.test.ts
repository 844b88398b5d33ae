import { deliverGesture, webhookBody, type DeliverableGesture } from '../../../src/channels/console/delivery';
import { parseConsoleLine } from '../../../src/channels/console/parse';
import type { ConsoleTap } from '../../../src/channels/console/render';

const ctx = { userId: 'u1', at: Date.UTC(2026, 2, 2, 2, 0), seq: 7 };
const content = (g: DeliverableGesture, platform: 'messenger' | 'zalo') => {
  const delivered = deliverGesture(g, platform, ctx);
  if ('ignored' in delivered) throw new Error(delivered.ignored);
  return delivered.content;
};

const rating: ConsoleTap[] = [5, 4, 3, 2, 1].map((n) => ({ kind: 'zalo_query', title: `${n} - …`, payload: `RATE_${n}` }));

describe('a line typed in the console', () => {
  it('when a number is typed, then it stays typed text even with choices on screen: the engine reads it, as on the server', () => {
    expect(parseConsoleLine('5', rating)).toEqual({ kind: 'text', text: '5' });
    expect(content({ kind: 'text', text: '5' }, 'zalo')).toEqual({ type: 'text', text: '5' });
    expect(content({ kind: 'text', text: '5' }, 'messenger')).toEqual({ type: 'text', text: '5' });
  });

  it('when /tap N is typed, then it taps the Nth choice shown, and a number with nothing there is refused', () => {
    expect(parseConsoleLine('/tap 5', rating)).toEqual({ kind: 'tap', tap: rating[4] });
    expect(parseConsoleLine('  /tap 1 ', rating)).toEqual({ kind: 'tap', tap: rating[0] });
    expect(parseConsoleLine('/tap 6', rating)).toEqual({ kind: 'no_such_tap', n: 6 });
    expect(parseConsoleLine('/tap', rating)).toMatchObject({ kind: 'no_such_tap' });
  });

  it('when a slash command is typed, then it plays that event; a blank line is nothing', () => {
    expect(parseConsoleLine('/follow', [])).toEqual({ kind: 'follow' });
    expect(parseConsoleLine('/postback CMD_MENU', [])).toEqual({ kind: 'postback', payload: 'CMD_MENU' });
    expect(parseConsoleLine('/location 19.9, 105.8', [])).toEqual({ kind: 'location', lat: 19.9, lng: 105.8 });
    expect(parseConsoleLine('/sticker', [])).toMatchObject({ kind: 'sticker' });
    expect(parseConsoleLine('   ', [])).toBeNull();
  });
});

describe('what the platform delivers for a terminal gesture (through its own webhook parser)', () => {
  it('when a Zalo button is tapped, then the webhook is user_send_text whose text is the payload, and the engine gets that text with no payload', () => {
    const tap: DeliverableGesture = { kind: 'tap', tap: { kind: 'zalo_query', title: 'Phản ánh, kiến nghị', payload: 'MENU_PETITION' } };
    expect(webhookBody(tap, 'zalo', ctx)).toMatchObject({ event_name: 'user_send_text', sender: { id: 'u1' }, message: { text: 'MENU_PETITION' } });
    const delivered = deliverGesture(tap, 'zalo', ctx);
    expect(delivered).toMatchObject({ channel: 'zalo', userId: 'u1', timestamp: ctx.at });
    expect(content(tap, 'zalo')).toStrictEqual({ type: 'text', text: 'MENU_PETITION' });
  });

  it('when a Messenger quick reply is tapped, then the engine gets its title as text with its payload', () => {
    const tap: DeliverableGesture = { kind: 'tap', tap: { kind: 'quick_reply', title: 'Chứng thực hợp…', payload: 'PROC_7' } };
    expect(webhookBody(tap, 'messenger', ctx)).toMatchObject({ object: 'page', entry: [{ messaging: [{ message: { text: 'Chứng thực hợp…', quick_reply: { payload: 'PROC_7' } } }] }] });
    expect(content(tap, 'messenger')).toStrictEqual({ type: 'text', text: 'Chứng thực hợp…', payload: 'PROC_7' });
  });

  it('when a Messenger template button is tapped, then the engine gets a postback with its payload and title', () => {
    const tap: DeliverableGesture = { kind: 'tap', tap: { kind: 'postback', title: 'Menu', payload: 'CMD_MENU' } };
    expect(content(tap, 'messenger')).toStrictEqual({ type: 'postback', payload: 'CMD_MENU', title: 'Menu' });
    expect(deliverGesture(tap, 'messenger', ctx)).toMatchObject({ channel: 'messenger', userId: 'u1', id: 'm_console_7' });
  });

  it('when /postback is played, then Messenger delivers a postback and Zalo, which has none, the payload as text', () => {
    expect(content({ kind: 'postback', payload: 'CMD_MENU' }, 'messenger')).toStrictEqual({ type: 'postback', payload: 'CMD_MENU' });
    expect(content({ kind: 'postback', payload: 'CMD_MENU' }, 'zalo')).toStrictEqual({ type: 'text', text: 'CMD_MENU' });
  });

  it('when a follow, an image, a sticker or a location is played, then each platform delivers it as its parser reads it', () => {
    expect(content({ kind: 'follow' }, 'zalo')).toEqual({ type: 'follow' });
    expect(content({ kind: 'follow' }, 'messenger')).toEqual({ type: 'follow' });
    for (const platform of ['messenger', 'zalo'] as const) {
      expect(content({ kind: 'image', url: 'https://x.invalid/a.jpg' }, platform)).toEqual({ type: 'attachments', attachments: [{ kind: 'image', url: 'https://x.invalid/a.jpg' }] });
      expect(content({ kind: 'sticker', ref: '123' }, platform)).toMatchObject({ type: 'attachments', attachments: [{ kind: 'sticker', ref: '123' }] });
      expect(content({ kind: 'location', lat: 19.9, lng: 105.8 }, platform)).toEqual({ type: 'location', lat: 19.9, lng: 105.8 });
    }
  });
});
