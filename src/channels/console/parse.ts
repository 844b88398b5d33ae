import type { ConsoleTap } from './render';

/**
 * What the person did in the terminal, before the platform delivers it (delivery.ts). Typed words are
 * always `text`, digits included: the engine decides what a typed "5" means, as on the server.
 */
export type ConsoleGesture =
  | { kind: 'text'; text: string }
  /** `/tap N`: the Nth chip or button of the last message that offered some */
  | { kind: 'tap'; tap: ConsoleTap }
  /** `/tap N` with nothing numbered N on screen */
  | { kind: 'no_such_tap'; n: number }
  /** `/postback PAYLOAD`: a button with that payload, tapped (a persistent-menu item, an old message) */
  | { kind: 'postback'; payload: string }
  | { kind: 'follow' }
  | { kind: 'unfollow' }
  | { kind: 'image'; url: string }
  | { kind: 'sticker'; ref: string }
  | { kind: 'location'; lat: number; lng: number };

/**
 * One line typed in the console. `/tap N` taps the Nth offered choice (`taps`, numbered as shown);
 * /follow, /unfollow, /postback PAYLOAD, /image [url], /sticker [id], /location lat,lng play the other
 * events; anything else, numbers included, is typed text. A blank line is nothing (null).
 */
export function parseConsoleLine(line: string, taps: readonly ConsoleTap[]): ConsoleGesture | null {
  const input = line.trim();
  if (input === '') return null;
  const [cmd, ...rest] = input.split(/\s+/);
  const arg = rest.join(' ');
  switch (cmd) {
    case '/tap': {
      if (!/^\d{1,2}$/.test(arg)) return { kind: 'no_such_tap', n: Number.NaN };
      const n = Number(arg);
      const tap = taps[n - 1];
      return tap ? { kind: 'tap', tap } : { kind: 'no_such_tap', n };
    }
    case '/follow':
      return { kind: 'follow' };
    case '/unfollow':
      return { kind: 'unfollow' };
    case '/postback':
      return arg ? { kind: 'postback', payload: arg } : null;
    case '/image':
      return { kind: 'image', url: arg || 'https://example.invalid/photo.jpg' };
    case '/sticker':
      return { kind: 'sticker', ref: arg || '369239263222822' };
    case '/location': {
      const m = /^(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)$/.exec(arg);
      return m ? { kind: 'location', lat: Number(m[1]), lng: Number(m[2]) } : null;
    }
    default:
      return { kind: 'text', text: line };
  }
}
