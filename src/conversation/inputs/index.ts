import type { InboundContent } from '../../channels/types';
import type { Json, JsonObject } from '../../shared/json';
import { foldText, normalizeText } from '../../shared/text-fold';
import type { Input, Target } from '../schema';
import { parseCccd } from './cccd';
import { daysFromToday, findDate, findTime, isoToDisplay, type TimeSaid } from './date';
import { parseNumber } from './number';
import { findPhone, parsePhone } from './phone';
import { containsNearly } from '../fuzzy';
import { bareAnswer, isSkip, parseYesNo } from './yes-no';

/** A choice as it was offered (titles already in the person's language), kept in state until answered. */
export interface OfferedChoice {
  title: string;
  payload: string;
  value?: Json;
  goto?: Target;
  /** folded words that also mean this choice ("khai sinh" for "Hộ tịch") */
  keywords?: string[];
  /** the choice a yes or a no means ("ok", "uk" → "Đồng ý") */
  means?: 'yes' | 'no';
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

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_SLOT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/;

function unique<T>(list: T[]): T | null {
  return list.length === 1 ? list[0] : null;
}

function tappedPayload(content: InboundContent): string | undefined {
  return content.type === 'postback' ? content.payload : content.type === 'text' ? content.payload : undefined;
}

/** Minutes after midnight of "7h30" / "13:30". */
function minutesOf(s: string): number | null {
  const m = /(\d{1,2})\s*[h:]\s*(\d{2})?/.exec(s);
  return m ? Number(m[1]) * 60 + Number(m[2] ?? 0) : null;
}

/** The offered time slot a said time falls in ("9h30 sáng" → "9h30-10h30"), else the nearest one. */
function pickSlot(offered: OfferedChoice[], said: TimeSaid): OfferedChoice | null {
  const slots = offered.flatMap((c, i) => {
    const m = ISO_SLOT.exec(c.payload);
    if (!m) return [];
    const start = Number(m[2]) * 60 + Number(m[3]);
    // the title's second time ("7h30-8h30") ends the slot; else the next slot's start, else an hour
    const titleEnd = minutesOf(c.title.split(/[-–]/)[1] ?? '');
    const nextStart = offered.slice(i + 1).map((n) => ISO_SLOT.exec(n.payload)).find((n) => n !== null);
    const end = titleEnd !== null && titleEnd > start ? titleEnd : nextStart ? Number(nextStart[2]) * 60 + Number(nextStart[3]) : start + 60;
    return [{ c, start, end }];
  });
  if (slots.length === 0) return null;
  if ('period' in said) {
    const inPeriod = slots.filter((s) => (said.period === 'morning' ? s.start < 12 * 60 : said.period === 'noon' ? s.start >= 11 * 60 && s.start < 14 * 60 : s.start >= 12 * 60));
    return inPeriod[0]?.c ?? null;
  }
  const within = slots.find((s) => s.start <= said.minutes && said.minutes < s.end);
  if (within) return within.c;
  return slots.reduce((best, s) => (Math.abs(s.start - said.minutes) < Math.abs(best.start - said.minutes) ? s : best)).c;
}

/**
 * The offered choice a message means, read the ways people answer: the tap (payload), its number,
 * its title or part of it, words that mean it (a yes or a no for "Đồng ý"/"Không đồng ý", keywords),
 * a day said in words for a list of days ("thứ 5"), a time for a list of times ("9h30 sáng").
 */
export function readChoice(content: InboundContent, offered: OfferedChoice[], now = 0): OfferedChoice | null {
  const payload = tappedPayload(content);
  if (payload !== undefined) return offered.find((c) => c.payload === payload) ?? null;
  const text = textOf(content);
  if (text === null) return null;
  const f = foldText(text);
  if (f === '') return null;
  const bare = bareAnswer(text);
  const number = /^(?:so |chon |cai |muc |phuong an |lua chon |cau |option |number )?(\d{1,2})$/.exec(bare)?.[1];
  if (number !== undefined) {
    // "5" on a scale whose titles start with their number ("5 - Rất hài lòng") means that title, not the 5th
    const numberedTitle = unique(offered.filter((c) => foldText(c.title).startsWith(`${number} `)));
    return numberedTitle ?? offered[Number(number) - 1] ?? null;
  }
  const exact = unique(offered.filter((c) => foldText(c.title) === f || foldText(c.title) === bare));
  if (exact) return exact;
  if (offered.some((c) => ISO_SLOT.test(c.payload))) {
    const said = findTime(text);
    const slot = said ? pickSlot(offered, said) : null;
    if (slot) return slot;
  }
  if (offered.some((c) => ISO_DAY.test(c.payload))) {
    const day = findDate(text, now);
    if (day) return offered.find((c) => c.payload === day) ?? null;
  }
  if (!offered.some((c) => ISO_DAY.test(c.payload))) {
    // "cái thứ 4", "lịch ngày 9/12": the choice whose title carries that day ("T4 09/12 8h30")
    const day = findDate(text, now);
    const [, m, d] = day?.split('-') ?? [];
    const dated = day ? unique(offered.filter((c) => new RegExp(`(^|\\D)0?${Number(d)}/0?${Number(m)}(\\D|$)`).test(c.title))) : null;
    if (dated) return dated;
  }
  const yes = parseYesNo(text);
  if (yes !== null) {
    const meant = unique(offered.filter((c) => c.means === (yes ? 'yes' : 'no') || (c.means === undefined && c.value === yes)));
    if (meant) return meant;
  }
  const padded = ` ${f} `;
  const byKeyword = unique(offered.filter((c) => (c.keywords ?? []).some((k) => padded.includes(` ${k} `))));
  if (byKeyword) return byKeyword;
  // "khai sinh" picks "Đăng ký khai sinh" when it names one choice only
  // (the bare answer only when it keeps two words: "dat hen" must not become "đất")
  const inTitle = (w: string) => unique(offered.filter((c) => ` ${foldText(c.title)} `.includes(` ${w} `)));
  const partial = (f.length >= 3 ? inTitle(f) : null) ?? (bare.includes(' ') ? inTitle(bare) : null);
  if (partial) return partial;
  // "chọn phản ánh nhé" names the choice "Phản ánh" inside a sentence
  const named = offered.filter((c) => {
    const t = foldText(c.title);
    return t.length >= 3 && padded.includes(` ${t} `);
  });
  // of several, the longest wins when it holds the others ("Phản ánh, kiến nghị" over "Phản ánh")
  const [longest, ...rest] = named.sort((a, b) => foldText(b.title).length - foldText(a.title).length);
  if (longest && rest.every((r) => ` ${foldText(longest.title)} `.includes(` ${foldText(r.title)} `))) return longest;
  // a slip of the thumb ("phan anhh", "moi truongg"): the whole answer one slip a word from a title or keyword
  const words = bare.split(' ');
  const slipped = unique(
    offered.filter((c) => [foldText(c.title), ...(c.keywords ?? [])].some((k) => {
      const kw = k.split(' ');
      return kw.length === words.length && containsNearly(words, kw);
    })),
  );
  if (slipped) return slipped;
  // "không phải đi lần nào" for "không lần nào": a keyword of several words said with a few words between
  const gapped = unique(offered.filter((c) => (c.keywords ?? []).some((k) => k.includes(' ') && inOrderWithGaps(f.split(' '), k.split(' '), 2))));
  return gapped;
}

/** Whether every word of `wanted` appears in `words` in order, at most `gap` other words between two of them. */
function inOrderWithGaps(words: string[], wanted: string[], gap: number): boolean {
  for (let start = 0; start < words.length; start += 1) {
    if (words[start] !== wanted[0]) continue;
    let at = start;
    let ok = true;
    for (const w of wanted.slice(1)) {
      const next = words.indexOf(w, at + 1);
      if (next === -1 || next - at - 1 > gap) {
        ok = false;
        break;
      }
      at = next;
    }
    if (ok) return true;
  }
  return false;
}

/** Why no offered choice was read: a day said in words that is not among the open days. */
function choiceRefusal(content: InboundContent, offered: OfferedChoice[], now: number): AnswerResult {
  const text = textOf(content);
  if (text !== null && tappedPayload(content) === undefined && offered.some((c) => ISO_DAY.test(c.payload))) {
    const day = findDate(text, now);
    if (day) return { ok: false, reason: 'engine.invalid.day_not_offered', vars: { day: isoToDisplay(day) } };
  }
  return GENERIC;
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
      const choice = readChoice(content, offered, now);
      return choice ? { ok: true, value: choice.value ?? choice.payload, choice, extra: { title: choice.title } } : choiceRefusal(content, offered, now);
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
      const phone = raw === null ? null : (parsePhone(raw) ?? findPhone(raw));
      return phone === null ? GENERIC : { ok: true, value: phone };
    }
    case 'date': {
      const iso = text === null ? null : findDate(text, now);
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
