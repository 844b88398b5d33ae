import type { InboundContent } from '../channels/types';
import { foldText } from '../shared/text-fold';

/** Commands that work anywhere in a conversation, typed or tapped. */
export type Command = 'menu' | 'restart' | 'help' | 'official' | 'lang_vi' | 'lang_en';

/** Payloads of the command buttons; MENU_OFFICIAL is also the main menu's "Gặp cán bộ". */
export const COMMAND_PAYLOADS: Record<string, Command> = {
  CMD_MENU: 'menu',
  CMD_RESTART: 'restart',
  CMD_HELP: 'help',
  MENU_OFFICIAL: 'official',
  CMD_OFFICIAL: 'official',
  CMD_LANG_VI: 'lang_vi',
  CMD_LANG_EN: 'lang_en',
};

/** Whole messages (folded) that are commands. A command inside a longer sentence is an answer, not a command. */
const PHRASES: Record<string, Command> = {};
const add = (cmd: Command, ...phrases: string[]) => phrases.forEach((p) => (PHRASES[foldText(p)] = cmd));
add('menu', 'menu', 'main menu', 'danh mục', 'trang chủ', 'về menu', 'quay lại menu', 'xem menu');
add('restart', 'hủy', 'huỷ', 'hủy bỏ', 'bắt đầu lại', 'làm lại', 'start over', 'restart', 'cancel', 'reset');
add('help', 'help', 'trợ giúp', 'giúp', 'giúp đỡ', 'giúp tôi', 'hướng dẫn');
add('official', 'gặp cán bộ', 'nói chuyện với cán bộ', 'gặp người thật', 'talk to an official', 'official', 'human', 'talk to a human');
add('lang_en', 'english', 'tiếng anh', 'in english');
add('lang_vi', 'tiếng việt', 'vietnamese', 'tieng viet');

/**
 * A payload that carries a value, `RATE_SERVICE:PA-7K3M9`: a notice's button for one case. On Zalo a
 * button tap arrives as the payload typed out, so a whole message of this shape is that tap.
 */
export const PAYLOAD_WITH_VALUE = /^([A-Z][A-Z0-9_]*):([A-Za-z0-9-]{1,40})$/;

/**
 * A whole message that is a payload, as a Zalo `oa.query` tap delivers it (the button's payload as the
 * text) or as a person copies it, with or without a leading "#": `MENU_PETITION`, `#CONSENT_YES`,
 * `RATE_SERVICE:PA-7K3M9`. UPPER_SNAKE_CASE with at least one "_", so "OK" or "CCCD" stay words.
 */
const PAYLOAD_TEXT = /^#?([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z][A-Z0-9_]*:[A-Za-z0-9-]{1,40})$/;

/** The payload a text message is, when it is one by its shape; undefined for words. */
export function payloadText(text: string): string | undefined {
  return PAYLOAD_TEXT.exec(text.trim())?.[1];
}

export function payloadOf(content: InboundContent): string | undefined {
  if (content.type === 'postback') return content.payload;
  if (content.type === 'text') return content.payload ?? payloadText(content.text);
  return undefined;
}

export function matchCommand(content: InboundContent): Command | undefined {
  const payload = payloadOf(content);
  if (payload !== undefined) return COMMAND_PAYLOADS[payload];
  if (content.type !== 'text') return undefined;
  return PHRASES[foldText(content.text)];
}

/** Where the commands lead: the main menu flow (trigger payload CMD_MENU) and the official flow (MENU_OFFICIAL). */
export const MENU_PAYLOAD = 'CMD_MENU';
export const OFFICIAL_PAYLOAD = 'MENU_OFFICIAL';
