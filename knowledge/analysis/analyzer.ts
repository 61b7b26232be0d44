/**
 * German text analysis for the service index: the same word pipeline for documents and queries,
 * plus compound splitting on both sides and synonym expansion on the query side. Expanded terms
 * carry lower weights than the citizen's own words, so "Hochzeit" finds "Eheschließung" without
 * outranking a service that is literally named with the user's words.
 */
import { Decompounder } from './decompound.js';
import { SynonymTable, type SynonymSet } from './synonyms.js';
import { analyseWords } from './words.js';

/** Where a query term came from; decides its weight. */
export type TermOrigin = 'query' | 'compound' | 'synonym';

export interface WeightedTerm {
  term: string;
  weight: number;
  origin: TermOrigin;
  /** The user's own stems this term stands for (itself, for a term the user typed). */
  from: string[];
}

/** Relative weights of expanded terms against the user's own words (1). */
export const TERM_WEIGHTS: Readonly<Record<TermOrigin, number>> = {
  query: 1,
  compound: 0.6,
  synonym: 0.5,
};

/**
 * Bumped whenever analysis changes what terms a text yields; index snapshots built with another
 * version are rebuilt.
 */
export const ANALYZER_VERSION = 'de-3';

/** Counts stems in the given texts: the vocabulary that compound parts must come from. */
export function buildVocabulary(texts: Iterable<string>): Map<string, number> {
  const vocabulary = new Map<string, number>();
  for (const text of texts) {
    for (const w of analyseWords(text)) {
      if (w.stem.length >= 3 && !/\d/.test(w.stem))
        vocabulary.set(w.stem, (vocabulary.get(w.stem) ?? 0) + 1);
    }
  }
  return vocabulary;
}

/** Analyses documents and queries consistently. */
export class Analyzer {
  private readonly decompounder: Decompounder;
  private readonly synonyms: SynonymTable;

  constructor(vocabulary: ReadonlyMap<string, number>, synonymSets: SynonymSet[] = []) {
    this.decompounder = new Decompounder(vocabulary);
    this.synonyms = new SynonymTable(synonymSets);
  }

  /** Terms to index for a document field: stems plus the stems of compound parts. */
  indexTerms(text: string): string[] {
    const out: string[] = [];
    for (const w of analyseWords(text)) {
      out.push(w.stem);
      out.push(...this.decompounder.split(w.surface));
    }
    return out;
  }

  /** Weighted terms for a query: own stems, compound parts, then synonyms of both. */
  queryTerms(text: string): WeightedTerm[] {
    const terms = new Map<string, WeightedTerm>();
    const add = (term: string, origin: TermOrigin, from: string[], factor = 1) => {
      const weight = TERM_WEIGHTS[origin] * factor;
      const known = terms.get(term);
      if (!known || known.weight < weight) terms.set(term, { term, weight, origin, from });
    };
    const words = analyseWords(text);
    const stems = words.map((w) => w.stem);
    for (const s of stems) add(s, 'query', [s]);
    for (const w of words) {
      for (const p of this.decompounder.split(w.surface)) {
        add(p, 'compound', [w.stem]);
        for (const alt of this.synonyms.lookup([p])) {
          alt.forEach((s) => add(s, 'synonym', [w.stem], TERM_WEIGHTS.compound));
        }
      }
    }
    this.expand(stems, (alt, from) =>
      alt.forEach((s) => add(s, 'synonym', from, 1 / Math.sqrt(alt.length))),
    );
    return [...terms.values()];
  }

  private expand(stems: string[], use: (alternative: string[], from: string[]) => void): void {
    for (let n = Math.min(this.synonyms.maxTermLength, stems.length); n >= 1; n--) {
      for (let i = 0; i + n <= stems.length; i++) {
        const from = stems.slice(i, i + n);
        for (const alt of this.synonyms.lookup(from)) use(alt, from);
      }
    }
  }

  /** Compound parts of a normalised word (for tests and diagnostics). */
  splitCompound(word: string): string[] {
    return this.decompounder.split(word);
  }
}
