import type { Choice, InboundContent } from '../types';

/**
 * One line typed in the console as what a platform would deliver. A number taps the offered choice
 * (a quick reply on Messenger: text + payload; a button on Zalo: a postback). Slash commands play
 * other events: /follow, /unfollow, /postback PAYLOAD, /image [url], /sticker, /location lat,lng.
 */
export function parseConsoleLine(line: string, offered: Choice[], style: 'messenger' | 'zalo'): InboundContent | null {
  const input = line.trim();
  if (input === '') return null;
  const tapped = /^\d{1,2}$/.test(input) ? offered[Number(input) - 1] : undefined;
  if (tapped) return style === 'messenger' ? { type: 'text', text: tapped.title, payload: tapped.payload } : { type: 'postback', payload: tapped.payload, title: tapped.title };
  const [cmd, ...rest] = input.split(/\s+/);
  const arg = rest.join(' ');
  switch (cmd) {
    case '/follow':
      return { type: 'follow' };
    case '/unfollow':
      return { type: 'unfollow' };
    case '/postback':
      return arg ? { type: 'postback', payload: arg } : null;
    case '/image':
      return { type: 'attachments', attachments: [{ kind: 'image', url: arg || 'https://example.invalid/photo.jpg' }] };
    case '/sticker':
      return { type: 'attachments', attachments: [{ kind: 'sticker', ref: arg || '369239263222822' }] };
    case '/location': {
      const m = /^(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)$/.exec(arg);
      return m ? { type: 'location', lat: Number(m[1]), lng: Number(m[2]) } : null;
    }
    default:
      return { type: 'text', text: line };
  }
}
