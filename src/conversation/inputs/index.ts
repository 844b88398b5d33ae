import type { InboundContent } from '../../channels/types';
import type { Json, JsonObject } from '../../shared/json';
import { foldText, normalizeText } from '../../shared/text-fold';
import type { Input, Target } from '../schema';
import { parseCccd } from './cccd';
import { daysFromToday, isoToDisplay, parseDate } from './date';
import { parseNumber } from './number';
import { parsePhone } from './phone';
import { isSkip, parseYesNo } from './yes-no';

/** A choice as it was offered (titles already in the person's language), kept in state until answered. */
export interface OfferedChoice {
  title: string;
  payload: string;
  value?: Json;
  goto?: Target;
}

/**
 * The answer's value, or why it was refused. `reason` is a locale key: `engine.invalid.generic` means
 * "show the input type's help"; the others name a specific problem (too long, a past date…).
 */
export type AnswerResult =
  | { ok: true; value: Json; extra?: JsonObject; choice?: OfferedChoice }
  | { ok: false; reason: string; vars?: Record<string, unknown> };

/** Longest message a text answer may be; platforms allow more, a clerk reading it does not. */
export const MAX_TEXT = 2000;

const GENERIC = { ok: false, reason: 'engine.invalid.generic' } as const;

function textOf(content: InboundContent): string | null {
  if (content.type === 'text') return normalizeText(content.text);
  if (content.type === 'attachments' && content.attachments.length === 0 && content.text) return normalizeText(content.text);
  return null;
}

export function readChoice(content: InboundContent, offered: OfferedChoice[]): OfferedChoice | null {
  const payload = content.type === 'postback' ? content.payload : content.type === 'text' ? content.payload : undefined;
  if (payload !== undefined) return offered.find((c) => c.payload === payload) ?? null;
  const text = textOf(content);
  if (text === null) return null;
  const f = foldText(text);
  if (/^\d{1,2}$/.test(f)) {
    // "5" on a scale whose titles start with their number ("5 - Rất hài lòng") means that title, not the 5th
    const numberedTitle = offered.filter((c) => foldText(c.title).startsWith(`${f} `));
    if (numberedTitle.length === 1) return numberedTitle[0];
    return offered[Number(f) - 1] ?? null;
  }
  const exact = offered.filter((c) => foldText(c.title) === f);
  if (exact.length === 1) return exact[0];
  // "khai sinh" picks "Đăng ký khai sinh" when it names one choice only
  const partial = f.length >= 3 ? offered.filter((c) => ` ${foldText(c.title)} `.includes(` ${f} `)) : [];
  return partial.length === 1 ? partial[0] : null;
}

/** Reads one answer to a question of type `input`. Pure: `now` dates "hôm nay" and "mai". */
export function readAnswer(input: Input, content: InboundContent, offered: OfferedChoice[], now: number): AnswerResult {
  const text = textOf(content);
  if (input.optional && text !== null && isSkip(text) && input.type !== 'yes_no' && input.type !== 'choice') return { ok: true, value: null };
  switch (input.type) {
    case 'text': {
      if (text === null || foldText(text) === '') return { ok: false, reason: 'engine.invalid.empty' };
      const max = input.max_length ?? MAX_TEXT;
      if (text.length > max) return { ok: false, reason: 'engine.invalid.too_long', vars: { max } };
      if (input.min_length !== undefined && text.length < input.min_length) return { ok: false, reason: 'engine.invalid.too_short', vars: { min: input.min_length } };
      return { ok: true, value: text };
    }
    case 'choice': {
      const choice = readChoice(content, offered);
      return choice ? { ok: true, value: choice.value ?? choice.payload, choice, extra: { title: choice.title } } : GENERIC;
    }
    case 'yes_no': {
      const payload = content.type === 'postback' ? content.payload : content.type === 'text' ? content.payload : undefined;
      if (payload === 'YES' || payload === 'NO') return { ok: true, value: payload === 'YES' };
      const v = text === null ? null : parseYesNo(text);
      return v === null ? GENERIC : { ok: true, value: v };
    }
    case 'number': {
      const n = text === null ? null : parseNumber(text);
      if (n === null || (input.integer && !Number.isInteger(n))) return GENERIC;
      if ((input.min !== undefined && n < input.min) || (input.max !== undefined && n > input.max)) {
        return { ok: false, reason: 'engine.invalid.out_of_range', vars: { min: input.min ?? '', max: input.max ?? '' } };
      }
      return { ok: true, value: n };
    }
    case 'phone': {
      const raw = content.type === 'contact' ? content.phone ?? null : text;
      const phone = raw === null ? null : parsePhone(raw);
      return phone === null ? GENERIC : { ok: true, value: phone };
    }
    case 'date': {
      const iso = text === null ? null : parseDate(text, now);
      if (iso === null) return GENERIC;
      const ahead = daysFromToday(iso, now);
      if (input.not_past && ahead < 0) return { ok: false, reason: 'engine.invalid.date_past' };
      if (input.max_days_ahead !== undefined && ahead > input.max_days_ahead) {
        return { ok: false, reason: 'engine.invalid.date_too_far', vars: { days: input.max_days_ahead } };
      }
      return { ok: true, value: iso, extra: { display: isoToDisplay(iso) } };
    }
    case 'cccd': {
      const id = text === null ? null : parseCccd(text);
      return id === null ? GENERIC : { ok: true, value: id };
    }
    case 'image': {
      if (content.type !== 'attachments') return GENERIC;
      const image = content.attachments.find((a) => a.kind === 'image');
      const ref = image?.url ?? image?.ref;
      return ref === undefined ? GENERIC : { ok: true, value: ref };
    }
    case 'location': {
      if (content.type === 'location') {
        const loc: JsonObject = { lat: content.lat, lng: content.lng };
        if (content.title) loc.title = content.title;
        return { ok: true, value: loc };
      }
      if (input.allow_text && text !== null && foldText(text).length >= 3) {
        if (text.length > MAX_TEXT) return { ok: false, reason: 'engine.invalid.too_long', vars: { max: MAX_TEXT } };
        return { ok: true, value: { text } };
      }
      return GENERIC;
    }
  }
}
