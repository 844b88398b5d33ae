import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { foldText, normalizeText } from '../shared/text-fold';

/**
 * What a message means before any flow sees it, from word lists admins read and extend
 * (flows/data/understanding.yaml): an emergency, a problem to report, a word of small talk, a
 * question about the office, a matter of another office. Pure and deterministic: the same lists
 * and the same message give the same reading (invariant 6). Nothing here calls a service.
 */

const Bilingual = z.strictObject({ vi: z.string().min(1), en: z.string().min(1) });
const Phrases = z.array(z.string().min(1)).min(1);

const Emergency = z.strictObject({
  id: z.string().regex(/^[a-z_]+$/),
  /** the number to call; `disaster_line` takes the commune's own line from commune_facts */
  call: z.string().min(1),
  say: Bilingual,
  /** matched folded (without diacritics), whole words */
  phrases: Phrases,
  /** matched with their diacritics, for words whose unmarked form means something ordinary (cháy / chạy) */
  marked: z.array(z.string().min(1)).optional(),
});

const ProblemCategory = z.strictObject({
  /** a petition category value of flows/petition.yaml */
  category: z.string().regex(/^[a-z_]+$/),
  title: Bilingual,
  /** what the problem is about (đường, cống, đèn đường): a problem word must come with one */
  topics: z.array(z.string().min(1)).default([]),
  /** phrases that are a problem of this category by themselves (hách dịch, đổ trộm rác) */
  alone: z.array(z.string().min(1)).default([]),
});

const Reply = z.strictObject({
  id: z.string().regex(/^[a-z_]+$/),
  phrases: Phrases,
  /** true: only when the phrase is the whole message (greetings, "ok") */
  whole_message: z.boolean().default(false),
  say: Bilingual,
});

const FollowUp = z.strictObject({
  /** the part of the topic asked about: a procedure's documents, time, fee, place, online filing, who may file, legal basis */
  aspect: z.enum(['documents', 'time', 'fee', 'place', 'online', 'who', 'legal']),
  phrases: Phrases,
});

export const UnderstandingSchema = z.strictObject({
  version: z.literal(1),
  /**
   * The commune's facts the answers need, for a deployment without a commune profile: when
   * flows/data/commune.yaml is in use (the one source), its facts win (see communeFactsOf).
   */
  commune_facts: z
    .strictObject({
      disaster_line: z.string().min(1).optional(),
      disaster_line_name: Bilingual.optional(),
      /** who collects household waste for the commune, shown where an answer says {{waste_collector}} */
      waste_collector: Bilingual.optional(),
    })
    .optional(),
  emergencies: z.array(Emergency).min(1),
  /** folded phrases that are never an emergency though they contain one's word ("cháy hàng") */
  not_emergencies: z.array(z.string().min(1)).default([]),
  /**
   * Words that put an emergency's word in the past or in a question about a procedure ("năm ngoái",
   * "trợ cấp", "khai tử"): with one of them and no `urgent` word, the message raises no alarm.
   */
  calm: z.array(z.string().min(1)).default([]),
  /** words that say it is happening now ("cứu với", "gấp"): an alarm even with a `calm` word */
  urgent: z.array(z.string().min(1)).default([]),
  /** `urgent` words matched with their diacritics ("đang": without marks it is also "đăng") */
  urgent_marked: z.array(z.string().min(1)).default([]),
  /**
   * Chat shorthand, one word for the words it stands for ("ko": "không", "dc": "được"): every message
   * is read with these written out, so the lists hold the full words only.
   */
  shorthand: z.record(z.string().regex(/^[\p{L}\p{N}]+$/u, 'one word'), z.string().min(1)).default({}),
  /** words of politeness that do not change a short reply ("ạ", "nhé", "ad"): `whole_message` phrases match without them */
  fillers: z.array(z.string().min(1)).default([]),
  problems: z.strictObject({
    /** words that say something is wrong (hỏng, tắc, sụt lún) */
    signals: Phrases,
    /** a message with one of these is a question, not a report ("thủ tục", "cần gì") */
    questions: z.array(z.string().min(1)).default([]),
    /** a message with one of these asks for a procedure even when it tells a problem ("muốn xã hòa giải") */
    procedure_words: z.array(z.string().min(1)).default([]),
    /** words before a village's name or number (thôn, xóm, ấp) */
    village_words: Phrases,
    /** words that ask to report it ("muốn báo", "phản ánh việc"): the petition starts at once, no offer */
    report_words: z.array(z.string().min(1)).default([]),
    categories: z.array(ProblemCategory).min(1),
  }),
  small_talk: z.array(Reply).default([]),
  /**
   * Small talk inside a longer message ("cảm ơn ad, cho em hỏi làm khai sinh cần gì") is only
   * politeness around a question: a phrase that is not the whole message counts only in a message of
   * at most this many words with no question word (problems.questions, problems.procedure_words).
   */
  small_talk_max_words: z.number().int().min(1).default(8),
  other_offices: z.array(Reply).default([]),
  /** words of a commune procedure ("sao y", "tiền già"): a message with one is not another office's matter */
  commune_words: z.array(z.string().min(1)).default([]),
  /** questions about the topic just answered ("mất bao lâu", "lệ phí bao nhiêu"), by the part they ask about */
  follow_ups: z.array(FollowUp).default([]),
  /** common English words: a message mostly of these, with no Vietnamese letter, is written in English */
  english_words: z.array(z.string().regex(/^[a-z']+$/, 'lowercase English words')).default([]),
});

export type UnderstandingData = z.infer<typeof UnderstandingSchema>;

interface Matcher {
  folded: string[];
  marked: string[];
}

/** The data, with every phrase folded once. */
export interface Understanding {
  data: UnderstandingData;
  emergencies: { id: string; call: string; say: { vi: string; en: string }; m: Matcher }[];
  notEmergencies: string[];
  calm: string[];
  urgent: string[];
  urgentMarked: string[];
  shorthand: ReadonlyMap<string, string>;
  fillers: ReadonlySet<string>;
  signals: string[];
  questions: string[];
  procedureWords: string[];
  villageWords: string[];
  reportWords: string[];
  categories: { category: string; title: { vi: string; en: string }; topics: string[]; alone: string[] }[];
  smallTalk: { id: string; phrases: string[]; whole: boolean; say: { vi: string; en: string } }[];
  otherOffices: { id: string; phrases: string[]; whole: boolean; say: { vi: string; en: string } }[];
  communeWords: string[];
  followUps: { aspect: string; phrases: string[] }[];
  englishWords: ReadonlySet<string>;
}

/** The commune facts the answers use; the one place to point at the commune profile. */
export interface CommuneFacts {
  disasterLine: string;
  disasterLineName: { vi: string; en: string };
  wasteCollector?: { vi: string; en: string };
}

/**
 * The commune's facts the answers need: the commune profile's (`commune`, the registry's facts) when
 * it is in use, else this file's commune_facts; the disaster line falls back to the national
 * search-and-rescue number 112.
 */
export function communeFactsOf(u: Understanding, commune?: Readonly<Record<'vi' | 'en', Readonly<Record<string, string>>>>): CommuneFacts {
  const own = u.data.commune_facts;
  const collector = commune?.vi.waste_collector ? { vi: commune.vi.waste_collector, en: commune.en.waste_collector ?? commune.vi.waste_collector } : own?.waste_collector;
  const waste = collector ? { wasteCollector: collector } : {};
  const line = commune?.vi.disaster_line;
  if (line) return { disasterLine: line, disasterLineName: { vi: commune.vi.disaster_line_name ?? '', en: commune.en.disaster_line_name ?? '' }, ...waste };
  if (own?.disaster_line) return { disasterLine: own.disaster_line, disasterLineName: own.disaster_line_name ?? { vi: '', en: '' }, ...waste };
  return { disasterLine: '112', disasterLineName: { vi: 'tìm kiếm cứu nạn', en: 'search and rescue' }, ...waste };
}

/** An answer with the commune's facts put in ({{disaster_line}}, {{disaster_line_name}}, {{waste_collector}}). */
export function withFacts(text: string, facts: CommuneFacts, locale: 'vi' | 'en'): string {
  return text
    .replaceAll('{{disaster_line}}', facts.disasterLine)
    .replaceAll('{{disaster_line_name}}', facts.disasterLineName[locale])
    .replaceAll('{{waste_collector}}', facts.wasteCollector?.[locale] ?? (locale === 'vi' ? 'tổ trưởng thôn, xóm biết đơn vị này' : 'your village head knows who they are'));
}

const fold = (list: string[]): string[] => [...new Set(list.map(foldText).filter((w) => w !== ''))];

/** Lowercase, composed, punctuation as spaces: diacritics kept. */
export function markText(text: string): string {
  return normalizeText(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function compileUnderstanding(data: UnderstandingData): Understanding {
  const replies = (list: z.infer<typeof Reply>[]) => list.map((r) => ({ id: r.id, phrases: fold(r.phrases), whole: r.whole_message, say: r.say }));
  return {
    data,
    emergencies: data.emergencies.map((e) => ({ id: e.id, call: e.call, say: e.say, m: { folded: fold(e.phrases), marked: (e.marked ?? []).map(markText) } })),
    notEmergencies: fold(data.not_emergencies),
    calm: fold(data.calm),
    urgent: fold(data.urgent),
    urgentMarked: data.urgent_marked.map(markText),
    shorthand: new Map(Object.entries(data.shorthand).map(([k, v]) => [foldText(k), foldText(v)])),
    fillers: new Set(fold(data.fillers)),
    signals: fold(data.problems.signals),
    questions: fold(data.problems.questions),
    procedureWords: fold(data.problems.procedure_words),
    villageWords: fold(data.problems.village_words),
    reportWords: fold(data.problems.report_words),
    categories: data.problems.categories.map((c) => ({ category: c.category, title: c.title, topics: fold(c.topics), alone: fold(c.alone) })),
    smallTalk: replies(data.small_talk),
    otherOffices: replies(data.other_offices),
    communeWords: fold(data.commune_words),
    followUps: data.follow_ups.map((f) => ({ aspect: f.aspect, phrases: fold(f.phrases) })),
    englishWords: new Set(data.english_words),
  };
}

export interface UnderstandingProblem {
  line?: number;
  message: string;
}

/** Reads and checks the file; every problem with its line. */
export function parseUnderstanding(source: string): { ok: true; understanding: Understanding } | { ok: false; problems: UnderstandingProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter });
  if (doc.errors.length > 0) return { ok: false, problems: doc.errors.map((e) => ({ line: e.linePos?.[0].line, message: e.message })) };
  const r = UnderstandingSchema.safeParse(doc.toJS());
  if (!r.success) {
    return {
      ok: false,
      problems: r.error.issues.map((i) => {
        let node: unknown = doc.contents;
        for (const key of i.path) {
          if (isMap(node)) node = node.get(key as string, true);
          else if (isSeq(node)) node = node.get(key as number, true);
          else break;
        }
        const offset = (node as { range?: [number, number] } | undefined)?.range?.[0];
        return { line: offset === undefined ? undefined : lineCounter.linePos(offset).line, message: `${i.path.join('.')}: ${i.message}` };
      }),
    };
  }
  const problems: UnderstandingProblem[] = [];
  const ids = new Set<string>();
  for (const e of r.data.emergencies) {
    if (ids.has(e.id)) problems.push({ message: `emergencies: "${e.id}" is listed twice` });
    ids.add(e.id);
  }
  for (const list of [r.data.small_talk, r.data.other_offices])
    for (const x of list) for (const p of x.phrases) if (foldText(p) === '') problems.push({ message: `${x.id}: the phrase "${p}" has no letters or digits` });
  problems.push(...checkContextLists(r.data));
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, understanding: compileUnderstanding(r.data) };
}

/**
 * The lists that change how others are read must not undo them: a calm word that is also an
 * emergency phrase would silence that emergency, shorthand that writes out to an emergency word
 * would raise alarms on ordinary chat, a filler that is a whole reply would never be answered.
 */
function checkContextLists(data: UnderstandingData): UnderstandingProblem[] {
  const problems: UnderstandingProblem[] = [];
  const emergencyPhrases = new Set(data.emergencies.flatMap((e) => e.phrases.map(foldText)));
  for (const [list, words] of [['calm', data.calm], ['urgent', data.urgent], ['urgent_marked', data.urgent_marked], ['fillers', data.fillers]] as const)
    for (const w of words) if (foldText(w) === '') problems.push({ message: `${list}: "${w}" has no letters or digits` });
  for (const w of data.calm) if (emergencyPhrases.has(foldText(w))) problems.push({ message: `calm: "${w}" is also an emergency phrase; it would silence that emergency` });
  for (const [short, full] of Object.entries(data.shorthand)) {
    if (foldText(full) === '') problems.push({ message: `shorthand: "${short}" stands for nothing` });
    if (emergencyPhrases.has(foldText(full))) problems.push({ message: `shorthand: "${short}" writes out to the emergency phrase "${full}"` });
  }
  // an answer may use only the facts there are
  // each has a fallback while the commune has not given it: 112, the village head
  const known = new Set(['disaster_line', 'disaster_line_name', 'waste_collector']);
  for (const x of [...data.emergencies, ...data.small_talk, ...data.other_offices])
    for (const text of [x.say.vi, x.say.en])
      for (const m of text.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g))
        if (!known.has(m[1])) problems.push({ message: `${x.id}: the answer uses {{${m[1]}}}, which commune_facts does not give` });
  const wholeReplies = new Set(data.small_talk.filter((r) => r.whole_message).flatMap((r) => r.phrases.map(foldText)));
  for (const w of data.fillers) if (wholeReplies.has(foldText(w))) problems.push({ message: `fillers: "${w}" is a whole reply of small_talk; as a filler it would be dropped` });
  return problems;
}

/** Folded, with chat shorthand written out ("ko sua dc" → "khong sua duoc"). */
export function readText(u: Understanding, text: string): string {
  const folded = foldText(text);
  if (u.shorthand.size === 0 || folded === '') return folded;
  return folded
    .split(' ')
    .map((w) => u.shorthand.get(w) ?? w)
    .join(' ');
}

/** What a message is, when it is more than a search for a procedure. */
export type Reading =
  | { kind: 'emergency'; id: string; call: string; say: { vi: string; en: string } }
  | { kind: 'problem'; category: string; title: { vi: string; en: string }; village?: string; report?: boolean }
  | { kind: 'small_talk'; id: string; say: { vi: string; en: string } }
  | { kind: 'other_office'; id: string; say: { vi: string; en: string } };

/** Each list's phrases with a space either side, made once: a message is read against hundreds of them. */
const paddedLists = new WeakMap<readonly string[], string[]>();

function spacedList(phrases: readonly string[]): string[] {
  let spaced = paddedLists.get(phrases);
  if (!spaced) paddedLists.set(phrases, (spaced = phrases.map((p) => ` ${p} `)));
  return spaced;
}

function hasPhrase(padded: string, phrases: readonly string[]): boolean {
  for (const p of spacedList(phrases)) if (padded.includes(p)) return true;
  return false;
}

/** Where the first of `phrases` in the message starts, and how long it is; the longer one at the same place. */
function firstPhrase(padded: string, phrases: readonly string[]): { at: number; length: number } | undefined {
  let best: { at: number; length: number } | undefined;
  for (const p of spacedList(phrases)) {
    const at = padded.indexOf(p);
    if (at >= 0 && (!best || at < best.at || (at === best.at && p.length > best.length))) best = { at, length: p.length };
  }
  return best;
}

/** An emergency the message tells of, or undefined. `text` is the message as typed. */
export function readEmergency(u: Understanding, text: string): Extract<Reading, { kind: 'emergency' }> | undefined {
  const folded = ` ${readText(u, text)} `;
  if (folded.length <= 2) return undefined;
  const hit = findEmergency(u, text, folded);
  // "bố mất năm ngoái do tai nạn", "hỗ trợ sau cơn bão": told of, not happening, unless it says so
  if (hit && hasPhrase(folded, u.calm) && !hasPhrase(folded, u.urgent) && !(u.urgentMarked.length > 0 && hasPhrase(` ${markText(text)} `, u.urgentMarked))) return undefined;
  return hit;
}

function findEmergency(u: Understanding, text: string, folded: string): Extract<Reading, { kind: 'emergency' }> | undefined {
  let padded = folded;
  // "cháy hàng" (sold out) holds "cháy": take the harmless phrases out before looking
  for (const n of u.notEmergencies) while (padded.includes(` ${n} `)) padded = padded.replace(` ${n} `, ' ');
  let marked: string | undefined;
  for (const e of u.emergencies) {
    if (hasPhrase(padded, e.m.folded)) return { kind: 'emergency', id: e.id, call: e.call, say: e.say };
    if (e.m.marked.length > 0) {
      marked ??= ` ${markText(text)} `;
      if (hasPhrase(marked, e.m.marked) && !hasPhrase(folded, u.notEmergencies)) return { kind: 'emergency', id: e.id, call: e.call, say: e.say };
    }
  }
  return undefined;
}

/** The village a message names ("thôn 3", "xóm Đông"), as typed. */
function villageOf(u: Understanding, text: string): string | undefined {
  const words = normalizeText(text).replace(/[^\p{L}\p{N}\s]+/gu, ' ').split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length - 1; i++) {
    if (!u.villageWords.includes(foldText(words[i]))) continue;
    const next = words[i + 1];
    if (/^\d+[a-z]?$/i.test(next)) return `${words[i]} ${next}`;
    // a name: capitalised words after the village word ("thôn Phú Lộc")
    const name: string[] = [];
    for (let j = i + 1; j < words.length && name.length < 3 && /^\p{Lu}/u.test(words[j]); j++) name.push(words[j]);
    if (name.length > 0) return `${words[i]} ${name.join(' ')}`;
  }
  return undefined;
}

/** A problem reported in passing ("đường thôn 3 bị sụt lún"), with its guessed category and village. */
export function readProblem(u: Understanding, text: string): Extract<Reading, { kind: 'problem' }> | undefined {
  const found = findProblem(u, text);
  return found && hasPhrase(` ${readText(u, text)} `, u.reportWords) ? { ...found, report: true } : found;
}

function findProblem(u: Understanding, text: string): Extract<Reading, { kind: 'problem' }> | undefined {
  const padded = ` ${readText(u, text)} `;
  if (hasPhrase(padded, u.procedureWords)) return undefined;
  for (const c of u.categories) if (hasPhrase(padded, c.alone)) return { kind: 'problem', category: c.category, title: c.title, village: villageOf(u, text) };
  if (hasPhrase(padded, u.questions)) return undefined;
  if (!hasPhrase(padded, u.signals)) return undefined;
  // what the message is about is named first ("rác … tràn ra đường" is about the waste); at the same
  // place the longer topic ("mái kè" before "mái"), then the category listed first
  let best: { c: Understanding['categories'][number]; at: number; length: number } | undefined;
  for (const c of u.categories) {
    const found = firstPhrase(padded, c.topics);
    if (found && (!best || found.at < best.at || (found.at === best.at && found.length > best.length))) best = { c, ...found };
  }
  return best && { kind: 'problem', category: best.c.category, title: best.c.title, village: villageOf(u, text) };
}

function readReply(u: Understanding, list: Understanding['smallTalk'], folded: string, inPart = true): { id: string; say: { vi: string; en: string } } | undefined {
  const padded = ` ${folded} `;
  // "dạ vâng ạ", "bye ad": a short reply with words of politeness around it
  const bare = folded
    .split(' ')
    .filter((w) => !u.fillers.has(w))
    .join(' ');
  for (const r of list) {
    if (r.phrases.includes(folded) || (bare !== '' && r.phrases.includes(bare))) return { id: r.id, say: r.say };
    if (!r.whole && inPart && hasPhrase(padded, r.phrases)) return { id: r.id, say: r.say };
  }
  return undefined;
}

/** A matter of another office (driving licence, BHXH…): named, with where it belongs. */
export function readOtherOffice(u: Understanding, text: string): Extract<Reading, { kind: 'other_office' }> | undefined {
  const folded = readText(u, text);
  if (hasPhrase(` ${folded} `, u.communeWords)) return undefined;
  const r = readReply(u, u.otherOffices, folded);
  return r && { kind: 'other_office' as const, ...r };
}

/** Thanks, greetings, goodbyes, praise, a complaint about the answers, an emoji alone. */
export function readSmallTalk(u: Understanding, text: string): Extract<Reading, { kind: 'small_talk' }> | undefined {
  const folded = readText(u, text);
  // an emoji alone folds to nothing: it reads as the word "emoji" (a thumbs-up, a heart)
  const padded = ` ${folded} `;
  const asks = folded.split(' ').length > u.data.small_talk_max_words || hasPhrase(padded, u.questions) || hasPhrase(padded, u.procedureWords);
  const r = readReply(u, u.smallTalk, folded === '' && /\p{Extended_Pictographic}/u.test(text) ? 'emoji' : folded, !asks);
  return r && { kind: 'small_talk' as const, ...r };
}

/**
 * The part of the topic a short follow-up asks about ("mất bao lâu" → time), or undefined. Only a
 * question of a few words is a follow-up: a long one is a new question and is searched as such.
 */
export function readFollowUp(u: Understanding, text: string): string | undefined {
  const folded = readText(u, text);
  if (folded === '' || folded.split(' ').length > 10) return undefined;
  const padded = ` ${folded} `;
  for (const f of u.followUps) if (hasPhrase(padded, f.phrases)) return f.aspect;
  return undefined;
}

/** Vietnamese letters: one of them and the message is not English. */
const VIETNAMESE_LETTER = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i;

/**
 * Whether a message is written in English: at least three words, no Vietnamese letter, and most
 * words common English ones ("how do I register the birth of my baby"). Short or mixed messages
 * are not: "ok", "hello" and "cccd" are said in Vietnamese too.
 */
export function isEnglish(u: Understanding, text: string): boolean {
  if (VIETNAMESE_LETTER.test(text.normalize('NFC'))) return false;
  const words = text.toLowerCase().match(/[a-z']+/g) ?? [];
  if (words.length < 3) return false;
  const known = words.filter((w) => u.englishWords.has(w)).length;
  return known >= 2 && known * 2 >= words.length;
}
