/**
 * Free-text matching of a citizen's question to catalogue procedures.
 *
 * The query is folded (no diacritics), chat shorthand is expanded, half-converted Telex/VNI and
 * misspellings are repaired towards catalogue words (a repair must fit its neighbours), and the
 * catalogue's synonyms add the words the catalogue uses. Procedures are ranked by BM25 over single
 * words and neighbouring pairs. The answer is `confident` only when the best procedure explains
 * most of the question and is clearly ahead of the next: a wrong confident answer sends a citizen
 * to the wrong desk, so in doubt the caller should offer choices instead.
 */
import type { Catalogue } from './catalogue';
import { undoInputMethod } from './citizen-typing';
import { buildProcedureIndex, isContentWord, pairTerm, wordsOf, type IndexedProcedure, type ProcedureIndex } from './procedure-index';
import { editDistance, trigramSimilarity } from './word-distance';

export interface ProcedureMatch {
  id: string;
  /** the Vietnamese name */
  name: string;
  /** BM25 relevance, higher is better; compare only within one query */
  score: number;
}

export interface MatchResult {
  /** best first */
  matches: ProcedureMatch[];
  /** true when the first match can be acted on without asking */
  confident: boolean;
}

export interface MatchOptions {
  /** how many matches to return; default 3 */
  limit?: number;
}

// BM25 parameters. The documents are short lists of phrases, so length matters little (low b).
const K1 = 1.2;
const B = 0.3;
/** weight of a word the citizen typed as is, repaired from Telex/VNI, or repaired from a misspelling */
const WEIGHT_TYPED = 1;
const WEIGHT_INPUT_METHOD = 0.9;
const WEIGHT_MISSPELLED = 0.7;
/** below this score a match is a single weak word, never confident */
const MIN_CONFIDENT_SCORE = 2.5;
/**
 * How far ahead the best must be (runner-up score / best score, at most) for how much of the
 * question it explains (share of content words, at least): the clearer the lead, the more chatter
 * around the request is tolerated ("ông nội em mới qua đời thì làm gì").
 */
const CONFIDENCE_TIERS: readonly { maxRunnerUpRatio: number; minCoverage: number }[] = [
  { maxRunnerUpRatio: 0.75, minCoverage: 0.5 },
  { maxRunnerUpRatio: 0.5, minCoverage: 0.34 },
];

interface QueryWord {
  word: string;
  weight: number;
  known: boolean;
}

// Keyed by the procedures list, not the catalogue: a live view of the published catalogue is one
// object whose list is replaced by each publish, and the index must follow the list.
const indexes = new WeakMap<object, ProcedureIndex>();

function indexFor(catalogue: Catalogue): ProcedureIndex {
  let index = indexes.get(catalogue.procedures);
  if (!index) {
    index = buildProcedureIndex(catalogue);
    indexes.set(catalogue.procedures, index);
  }
  return index;
}

function allowedDistance(word: string): number {
  if (word.length < 4) return 0;
  return word.length < 7 ? 1 : 2;
}

function neighbourContent(words: readonly string[], from: number, step: 1 | -1): string | undefined {
  for (let i = from + step; i >= 0 && i < words.length; i += step) if (isContentWord(words[i])) return words[i];
  return undefined;
}

/** The catalogue word a misspelled word most likely was, if one is close and fits its neighbours. */
function nearestCatalogueWord(words: readonly string[], at: number, index: ProcedureIndex): string | undefined {
  const word = words[at];
  const limit = allowedDistance(word);
  if (limit === 0) return undefined;
  const before = neighbourContent(words, at, -1);
  const after = neighbourContent(words, at, 1);
  let best: { word: string; rank: number } | undefined;
  for (const candidate of index.vocabulary) {
    if (Math.abs(candidate.length - word.length) > limit) continue;
    const distance = editDistance(word, candidate);
    if (distance > limit) continue;
    const fitsContext =
      (before !== undefined && index.knownPairs.has(pairTerm(before, candidate))) ||
      (after !== undefined && index.knownPairs.has(pairTerm(candidate, after)));
    // Short Vietnamese syllables are one letter apart from many real words ("troi"/"tro"),
    // so a repair needs a neighbour that the catalogue pairs it with, unless the word is long.
    if (!fitsContext && word.length < 6) continue;
    const rank = (fitsContext ? 10 : 0) - distance + trigramSimilarity(word, candidate);
    if (!best || rank > best.rank) best = { word: candidate, rank };
  }
  return best?.word;
}

/** "kethon" -> ["ket", "hon"]: a missing space, when both halves are a pair the catalogue uses. */
function splitGluedWords(words: string[], index: ProcedureIndex): string[] {
  return words.flatMap((word) => {
    if (word.length < 5 || index.knownWords.has(word)) return [word];
    for (let at = 2; at <= word.length - 2; at++) {
      const [left, right] = [word.slice(0, at), word.slice(at)];
      if (index.knownPairs.has(pairTerm(left, right))) return [left, right];
    }
    return [word];
  });
}

function repairWords(typed: string[], index: ProcedureIndex): QueryWord[] {
  const words = splitGluedWords(typed, index);
  const repaired = [...words];
  const result = words.map((word, at): QueryWord => {
    if (index.knownWords.has(word)) return { word, weight: WEIGHT_TYPED, known: true };
    const undone = undoInputMethod(word);
    if (undone && index.knownWords.has(undone)) {
      repaired[at] = undone;
      return { word: undone, weight: WEIGHT_INPUT_METHOD, known: true };
    }
    return { word, weight: WEIGHT_TYPED, known: false };
  });
  // Misspellings second, so their context check sees the Telex repairs of their neighbours.
  return result.map((qw, at) => {
    if (qw.known) return qw;
    const nearest = nearestCatalogueWord(repaired, at, index);
    return nearest ? { word: nearest, weight: WEIGHT_MISSPELLED, known: true } : qw;
  });
}

interface SynonymHit {
  /** positions in the query's words the synonym covers */
  start: number;
  end: number;
  to: string[];
}

function findSynonyms(words: readonly string[], index: ProcedureIndex): SynonymHit[] {
  const hits: SynonymHit[] = [];
  for (const synonym of index.synonyms) {
    const n = synonym.from.length;
    for (let start = 0; start + n <= words.length; start++) {
      if (synonym.from.every((w, k) => words[start + k] === w)) hits.push({ start, end: start + n, to: synonym.to });
    }
  }
  return hits;
}

function addTerm(terms: Map<string, number>, term: string, weight: number): void {
  terms.set(term, Math.max(terms.get(term) ?? 0, weight));
}

function queryTerms(content: QueryWord[], synonyms: SynonymHit[]): Map<string, number> {
  const terms = new Map<string, number>();
  content.forEach((qw, i) => {
    addTerm(terms, qw.word, qw.weight);
    const next = content[i + 1];
    if (next) addTerm(terms, pairTerm(qw.word, next.word), Math.min(qw.weight, next.weight));
  });
  for (const hit of synonyms) {
    hit.to.forEach((w, i) => {
      addTerm(terms, w, WEIGHT_TYPED);
      if (i + 1 < hit.to.length) addTerm(terms, pairTerm(w, hit.to[i + 1]), WEIGHT_TYPED);
    });
  }
  return terms;
}

function inverseDocumentFrequency(term: string, index: ProcedureIndex): number {
  const n = index.procedures.length;
  const df = index.documentFrequency.get(term) ?? 0;
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

function bm25(procedure: IndexedProcedure, terms: Map<string, number>, index: ProcedureIndex): number {
  const lengthNorm = 1 - B + (B * procedure.length) / index.averageLength;
  let score = 0;
  for (const [term, weight] of terms) {
    // term frequency is 1: a term is in the procedure's vocabulary or not
    if (procedure.terms.has(term)) score += weight * inverseDocumentFrequency(term, index) * ((K1 + 1) / (1 + K1 * lengthNorm));
  }
  return score;
}

/**
 * Share of the procedure's name the query covers, weighted by how distinctive each name term is.
 * "khai sinh" covers most of "Đăng ký khai sinh" but little of "Đăng ký khai sinh kết hợp nhận cha,
 * mẹ, con", so the plain procedure ranks first and the combined one needs its own words.
 */
function nameCoverage(procedure: IndexedProcedure, terms: Map<string, number>, index: ProcedureIndex): number {
  let covered = 0;
  let total = 0;
  for (const term of procedure.nameTerms) {
    const idf = inverseDocumentFrequency(term, index);
    total += idf;
    if (terms.has(term)) covered += idf * (terms.get(term) ?? 0);
  }
  return total === 0 ? 0 : covered / total;
}

function hasStrongEvidence(procedure: IndexedProcedure, terms: Map<string, number>): boolean {
  for (const term of terms.keys()) if (procedure.strongTerms.has(term)) return true;
  return false;
}

/** Share of the question's content words the procedure explains, directly or through a synonym. */
function coverage(procedure: IndexedProcedure, words: QueryWord[], synonyms: SynonymHit[]): number {
  const content = words.map((qw, at) => ({ qw, at })).filter(({ qw }) => isContentWord(qw.word));
  if (content.length === 0) return 0;
  const explained = content.filter(
    ({ qw, at }) =>
      procedure.words.has(qw.word) ||
      synonyms.some((s) => at >= s.start && at < s.end && s.to.some((w) => procedure.words.has(w))),
  );
  return explained.length / content.length;
}

/**
 * English function words. Folded, several are Vietnamese syllables of the catalogue ("do" is đỏ of
 * sổ đỏ, "the" thẻ, "my" Mỹ), so "how do I register the birth of my baby" found the red book first.
 */
const ENGLISH_GLUE = new Set(['i', 'my', 'me', 'we', 'our', 'us', 'you', 'your', 'he', 'she', 'his', 'her', 'it', 'its', 'how', 'what', 'where', 'when', 'which', 'who', 'why', 'do', 'does', 'did', 'can', 'could', 'would', 'should', 'will', 'is', 'are', 'am', 'was', 'be', 'the', 'a', 'an', 'to', 'of', 'for', 'in', 'on', 'at', 'with', 'and', 'or', 'please', 'want', 'need', 'get', 'this', 'that', 'there', 'have', 'has', 'about', 'hello', 'hi']);
/**
 * Those of them that are no Vietnamese syllable: with two of these the question is English and the
 * glue is dropped. Many glue words are Vietnamese too, unmarked ("me" mẹ, "can" cần, "be" bé, "to" tờ).
 */
const ONLY_ENGLISH = new Set(['i', 'my', 'how', 'what', 'where', 'when', 'which', 'who', 'why', 'does', 'did', 'could', 'would', 'should', 'is', 'are', 'was', 'of', 'for', 'with', 'you', 'your', 'please', 'want', 'need', 'get', 'this', 'that', 'there', 'have', 'has', 'about']);
const ONLY_ENGLISH_MIN = 2;

function withoutEnglishGlue(words: string[]): string[] {
  const english = words.filter((w) => ONLY_ENGLISH.has(w)).length;
  return english >= ONLY_ENGLISH_MIN ? words.filter((w) => !ENGLISH_GLUE.has(w)) : words;
}

/**
 * Ranks catalogue procedures for a citizen's free-text question.
 * `confident` is false when nothing fits (greetings, weather, other agencies' business) or when two
 * procedures are close; then show the matches as choices, or none.
 */
export function matchProcedures(catalogue: Catalogue, query: string, opts: MatchOptions = {}): MatchResult {
  const { limit = 3 } = opts;
  const index = indexFor(catalogue);
  const words = repairWords(withoutEnglishGlue(wordsOf(query)), index);
  const synonyms = findSynonyms(
    words.map((qw) => qw.word),
    index,
  );
  const terms = queryTerms(
    words.filter((qw) => isContentWord(qw.word)),
    synonyms,
  );
  const ranked = index.procedures
    .map((procedure) => ({ procedure, score: bm25(procedure, terms, index) * (1 + nameCoverage(procedure, terms, index)) }))
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || a.procedure.id.localeCompare(b.procedure.id));
  const [best, runnerUp] = ranked;
  let confident = false;
  if (best !== undefined && best.score >= MIN_CONFIDENT_SCORE && hasStrongEvidence(best.procedure, terms)) {
    const explained = coverage(best.procedure, words, synonyms);
    const runnerUpRatio = runnerUp === undefined ? 0 : runnerUp.score / best.score;
    confident = CONFIDENCE_TIERS.some((tier) => runnerUpRatio <= tier.maxRunnerUpRatio && explained >= tier.minCoverage);
  }
  return {
    matches: ranked.slice(0, limit).map(({ procedure, score }) => ({
      id: procedure.id,
      name: procedure.name,
      score: Math.round(score * 1000) / 1000,
    })),
    confident,
  };
}
