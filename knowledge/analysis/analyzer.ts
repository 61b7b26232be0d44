/**
 * German text analysis for the service index: the same word pipeline for documents and queries,
 * plus compound splitting on both sides and synonym expansion on the query side. Expanded terms
 * carry lower weights than the citizen's own words, so "Hochzeit" finds "Eheschließung" without
 * outranking a service that is literally named with the user's words.
 */
import { Decompounder } from './decompound.js';
import { SynonymTable, type SynonymSet } from './synonyms.js';
import { analyseWords } from './words.js';
import { isFacetCue } from './facet-cues.js';

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
export const ANALYZER_VERSION = 'de-4';

/** Weight factor of facet cue words in queries. */
export const FACET_CUE_FACTOR = 0.2;

/** Statistics of a catalogue's words: compound parts come from it, confidence weighs by it. */
export interface Vocabulary {
  /** stem → occurrences in all texts */
  frequency: Map<string, number>;
  /** stem → number of documents containing it */
  documentFrequency: Map<string, number>;
  documents: number;
}

/** Counts stems over documents, each given as its texts. */
export function buildVocabulary(documents: Iterable<string[]>): Vocabulary {
  const frequency = new Map<string, number>();
  const documentFrequency = new Map<string, number>();
  let count = 0;
  for (const texts of documents) {
    count++;
    const seen = new Set<string>();
    for (const w of texts.flatMap((t) => analyseWords(t))) {
      if (w.stem.length < 3 || /\d/.test(w.stem)) continue;
      frequency.set(w.stem, (frequency.get(w.stem) ?? 0) + 1);
      seen.add(w.stem);
    }
    for (const stem of seen) documentFrequency.set(stem, (documentFrequency.get(stem) ?? 0) + 1);
  }
  return { frequency, documentFrequency, documents: count };
}

/** Analyses documents and queries consistently. */
export class Analyzer {
  private readonly decompounder: Decompounder;
  private readonly synonyms: SynonymTable;

  constructor(
    readonly vocabulary: Vocabulary,
    synonymSets: SynonymSet[] = [],
  ) {
    this.decompounder = new Decompounder(vocabulary.frequency);
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

  /** Weighted terms for a query: own stems, their compound parts, and synonyms of the own stems. */
  queryTerms(text: string): WeightedTerm[] {
    const terms = new Map<string, WeightedTerm>();
    const add = (term: string, origin: TermOrigin, from: string[], factor = 1) => {
      const weight = TERM_WEIGHTS[origin] * factor;
      const known = terms.get(term);
      if (!known || known.weight < weight) terms.set(term, { term, weight, origin, from });
    };
    const words = analyseWords(text);
    const stems = words.map((w) => w.stem);
    // Facet cues ("kostet", "wo") say what is asked about a service, not which one.
    for (const s of stems) add(s, 'query', [s], isFacetCue(s) ? FACET_CUE_FACTOR : 1);
    // Compound parts are matched, but not expanded: "pass" in "Reisepass" is no mountain pass.
    for (const w of words) {
      for (const p of this.decompounder.split(w.surface)) add(p, 'compound', [w.stem]);
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

  /**
   * How informative a stem is (inverse document frequency). Words the catalogue never uses get
   * the highest weight: leaving them unmatched should cost confidence most.
   */
  informativeness(stem: string): number {
    const df = this.vocabulary.documentFrequency.get(stem) ?? 0;
    // Squared, so that a frequent word ("neu", "beantragen") left unmatched costs far less
    // confidence than an unmatched topic word.
    return Math.log(1 + this.vocabulary.documents / (df + 0.5)) ** 2;
  }

  /** Compound parts of a normalised word (for tests and diagnostics). */
  splitCompound(word: string): string[] {
    return this.decompounder.split(word);
  }
}
