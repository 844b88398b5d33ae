/**
 * The catalogue as a small search index: each procedure's name, aliases and keywords folded into
 * words, then into terms (single words and neighbouring pairs) with their frequencies for BM25.
 */
import { foldText } from '../../shared/text-fold';
import type { Catalogue } from './catalogue';
import { FUNCTION_WORDS, expandShorthand } from './citizen-typing';

/** English words in the procedures' English names that identify nothing. */
const ENGLISH_FUNCTION_WORDS = new Set(['of', 'the', 'or', 'and', 'with', 'from', 'at', 'to', 'an', 'including', 'together']);

export interface IndexedProcedure {
  id: string;
  name: string;
  nameEn: string;
  /** the procedure's terms; each counts once, so a long alias list is not a stronger match */
  terms: Set<string>;
  /**
   * terms that identify the procedure on their own: word pairs from its phrases and its one-word
   * keywords. A single word from inside a phrase ("đỏ" of "sổ đỏ") is evidence, not proof.
   */
  strongTerms: Set<string>;
  /** terms of the Vietnamese name: how much of the name a query covers says how exactly it asks for this one */
  nameTerms: string[];
  /** single content words of the procedure, to measure how much of a query it explains */
  words: Set<string>;
  length: number;
}

export interface Synonym {
  /** folded words citizens type */
  from: string[];
  /** folded content words the catalogue uses */
  to: string[];
}

export interface ProcedureIndex {
  procedures: IndexedProcedure[];
  documentFrequency: Map<string, number>;
  averageLength: number;
  /** every word the matcher knows: the catalogue's, the synonyms' and the function words */
  knownWords: Set<string>;
  /** content words of the catalogue, the targets of misspelling repair */
  vocabulary: string[];
  /** pairs of neighbouring content words the catalogue uses, to check a repair against its context */
  knownPairs: Set<string>;
  synonyms: Synonym[];
}

/** Folded words of a text with chat shorthand expanded; function words kept. */
export function wordsOf(text: string): string[] {
  const folded = foldText(text);
  return folded.length === 0 ? [] : expandShorthand(folded.split(' '));
}

/** Numbers ("80 tuổi", "2 tháng") never say which procedure is meant. */
export function isContentWord(word: string): boolean {
  return !FUNCTION_WORDS.has(word) && !ENGLISH_FUNCTION_WORDS.has(word) && !/^[0-9]+$/.test(word);
}

export function pairTerm(a: string, b: string): string {
  return `${a}_${b}`;
}

/** The terms of one phrase: its content words and each pair of neighbouring content words. */
export function termsOf(contentWords: readonly string[]): string[] {
  const terms = [...contentWords];
  for (let i = 0; i + 1 < contentWords.length; i++) terms.push(pairTerm(contentWords[i], contentWords[i + 1]));
  return terms;
}

function indexProcedure(phrases: string[], keywords: string[], id: string, name: string, nameEn: string): IndexedProcedure {
  const terms = new Set<string>();
  const strongTerms = new Set<string>();
  const words = new Set<string>();
  for (const phrase of [...phrases, ...keywords]) {
    const content = wordsOf(phrase).filter(isContentWord);
    content.forEach((w) => words.add(w));
    for (const term of termsOf(content)) {
      terms.add(term);
      if (term.includes('_')) strongTerms.add(term);
    }
  }
  for (const keyword of keywords) {
    const content = wordsOf(keyword).filter(isContentWord);
    if (content.length === 1) strongTerms.add(content[0]);
  }
  const nameTerms = termsOf(wordsOf(name).filter(isContentWord));
  return { id, name, nameEn, terms, strongTerms, nameTerms, words, length: terms.size };
}

/** Builds the search index of a validated catalogue. */
export function buildProcedureIndex(catalogue: Catalogue): ProcedureIndex {
  const procedures = catalogue.procedures.map((p) =>
    indexProcedure([p.name.vi, p.name.en ?? '', ...p.aliases], p.keywords, p.id, p.name.vi, p.name.en ?? p.name.vi),
  );
  const documentFrequency = new Map<string, number>();
  const knownPairs = new Set<string>();
  for (const p of procedures) {
    for (const term of p.terms) {
      documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
      if (term.includes('_')) knownPairs.add(term);
    }
  }
  const synonyms = Object.entries(catalogue.synonyms).map(([from, to]) => ({
    from: wordsOf(from),
    to: wordsOf(to).filter(isContentWord),
  }));
  const vocabulary = [...new Set(procedures.flatMap((p) => [...p.words]))];
  const knownWords = new Set<string>([...vocabulary, ...FUNCTION_WORDS, ...synonyms.flatMap((s) => s.from)]);
  const averageLength = procedures.reduce((sum, p) => sum + p.length, 0) / Math.max(1, procedures.length);
  return { procedures, documentFrequency, averageLength, knownWords, vocabulary, knownPairs, synonyms };
}
