import type { Choice, OutboundMessage } from '../types';

/** Which platform the console imitates: Messenger shows choices as quick-reply chips, Zalo as stacked buttons. */
export type ConsoleStyle = 'messenger' | 'zalo';

/** Messenger cuts quick-reply titles after 20 characters; the console shows what the citizen would see. */
const MESSENGER_QUICK_REPLY_MAX = 20;

export interface RenderedMessage {
  text: string;
  /** what typing "1", "2"… taps, in order */
  offered: Choice[];
}

function cut(title: string, style: ConsoleStyle): string {
  return style === 'messenger' && title.length > MESSENGER_QUICK_REPLY_MAX ? `${title.slice(0, MESSENGER_QUICK_REPLY_MAX - 1)}…` : title;
}

function numbered(choices: Choice[], style: ConsoleStyle): string {
  if (style === 'messenger') return choices.map((c, i) => `( ${i + 1}. ${cut(c.title, style)} )`).join(' ');
  return choices.map((c, i) => `  [ ${i + 1}. ${c.title} ]`).join('\n');
}

/** One OutboundMessage as plain text, roughly as Zalo or Messenger would show it, with numbered choices. */
export function renderConsoleMessage(message: OutboundMessage, style: ConsoleStyle): RenderedMessage {
  switch (message.type) {
    case 'text': {
      const offered = message.choices ?? [];
      return { text: offered.length > 0 ? `${message.text}\n${numbered(offered, style)}` : message.text, offered };
    }
    case 'buttons': {
      const offered: Choice[] = [];
      const lines = message.buttons.map((b) => {
        if (b.type === 'postback') {
          offered.push({ title: b.title, payload: b.payload });
          return `  [ ${offered.length}. ${b.title} ]`;
        }
        return b.type === 'url' ? `  [ ${b.title} → ${b.url} ]` : `  [ ${b.title} ☎ ${b.phone} ]`;
      });
      return { text: `${message.text}\n${lines.join('\n')}`, offered };
    }
    case 'image':
      return { text: `[ảnh] ${message.url}${message.caption ? `\n${message.caption}` : ''}`, offered: [] };
    case 'typing':
      return { text: '…', offered: [] };
  }
}
