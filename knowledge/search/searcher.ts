/**
 * Service search: analysis, the lexical index and (when configured) dense retrieval, fused and
 * scored with a confidence that decides whether Lotse answers, offers a choice or says honestly
 * that it does not know.
 */
import { Analyzer, buildVocabulary, type WeightedTerm } from '../analysis/analyzer.js';
import type { SynonymSet } from '../analysis/synonyms.js';
import { analyseWords } from '../analysis/words.js';
import type { Catalogue, Service } from '../schema.js';
import { coverage, nameCoverage, type NameWord } from './confidence.js';
import { reciprocalRankFusion } from './dense/fusion.js';
import { ServiceIndex, type IndexSnapshot, type LexicalHit } from './service-index.js';

/** Thresholds of the abstention rule; calibrated on the development query set (see README). */
export const ABSTENTION = {
  /** Below this confidence the top hit is not offered as the answer. */
  minConfidence: 0.6,
  /** A runner-up scoring at least this share of the top score makes the result a close call. */
  closeCallRatio: 0.85,
} as const;

/** Ranking: scores are multiplied by confidence to this power (0 turns it off). */
export const CONFIDENCE_EXPONENT = 1;

/** Ranking: a service whose name the query fully accounts for scores × (1 + this). */
export const NAME_COVERAGE_BONUS = 1;

export interface ScoredService {
  service: Service;
  /** Ranking score: boosted BM25, or the fused score when dense retrieval is on. */
  score: number;
  /** 0–1: how much of the question this service accounts for. */
  confidence: number;
}

export interface SearchResponse {
  query: string;
  /** True when nothing matches confidently; `results` then holds the closest services. */
  abstained: boolean;
  /** True when several services fit about equally well and the user should choose. */
  closeCall: boolean;
  results: ScoredService[];
}

export interface SearchOptions {
  limit?: number;
}

/** Dense retrieval as search uses it: services ranked by embedding similarity to a query. */
export interface DenseRanker {
  rank(query: string, limit: number): Promise<{ id: string; similarity: number }[]>;
  upsert(document: { id: string; text: string }): Promise<void>;
  remove(id: string): boolean;
}

/** The text that stands for a service in dense retrieval: what it is called and is about. */
export function denseText(s: Service): string {
  return [s.name, s.keywords.join(', '), s.summary].filter(Boolean).join('. ');
}

/** Each searchable service's texts, from which the vocabulary is counted. */
function vocabularyDocuments(services: Service[]): string[][] {
  return services
    .filter((s) => s.searchable)
    .map((s) => [s.name, ...s.keywords, s.description.text]);
}

/** Searches one catalogue. */
export class ServiceSearch {
  private readonly services: Map<string, Service>;
  private readonly nameWords = new Map<string, NameWord[]>();
  private dense: DenseRanker | undefined;

  private constructor(
    readonly analyzer: Analyzer,
    private readonly index: ServiceIndex,
    services: Service[],
  ) {
    this.services = new Map(services.map((s) => [s.id, s]));
  }

  /**
   * Builds search for a catalogue; reuses `snapshot` when it was made for the same catalogue
   * version and analysis. `rebuilt` tells the caller whether a new snapshot is worth saving.
   */
  static create(
    catalogue: Catalogue,
    options: { synonyms?: SynonymSet[]; snapshot?: IndexSnapshot } = {},
  ): { search: ServiceSearch; rebuilt: boolean } {
    const vocabulary = buildVocabulary(vocabularyDocuments(catalogue.services));
    const analyzer = new Analyzer(vocabulary, options.synonyms ?? []);
    const restored =
      options.snapshot && ServiceIndex.fromSnapshot(analyzer, options.snapshot, catalogue.version);
    const index = restored ?? ServiceIndex.build(analyzer, catalogue.services);
    return { search: new ServiceSearch(analyzer, index, catalogue.services), rebuilt: !restored };
  }

  /** Turns on dense retrieval, fused with the lexical ranking. */
  useDense(dense: DenseRanker | undefined): void {
    this.dense = dense;
  }

  /** A serialisable snapshot of the index for this catalogue version. */
  snapshot(catalogueVersion: string): IndexSnapshot {
    return this.index.snapshot(catalogueVersion);
  }

  /** The service with this id, searchable or not. */
  get(id: string): Service | undefined {
    return this.services.get(id);
  }

  /** Number of services in the search index. */
  get indexedCount(): number {
    return this.index.size;
  }

  /**
   * Adds or replaces one service without rebuilding the index. The lexical index is updated at
   * once; the returned promise settles when the service's vector (dense retrieval) is updated too.
   */
  async upsert(service: Service): Promise<void> {
    this.services.set(service.id, service);
    this.nameWords.delete(service.id);
    this.index.upsert(service);
    if (!this.dense) return;
    if (service.searchable) await this.dense.upsert({ id: service.id, text: denseText(service) });
    else this.dense.remove(service.id);
  }

  /** Removes one service without rebuilding the index. */
  remove(id: string): void {
    this.services.delete(id);
    this.nameWords.delete(id);
    this.index.remove(id);
    this.dense?.remove(id);
  }

  /** Ranks services for a question and decides whether to answer, offer a choice, or abstain. */
  async search(query: string, options: SearchOptions = {}): Promise<SearchResponse> {
    const lexical = this.searchLexical(query, { limit: Math.max(options.limit ?? 5, 10) });
    if (!this.dense) return { ...lexical, results: lexical.results.slice(0, options.limit ?? 5) };
    const dense = await this.dense.rank(query, 20);
    return this.fuse(lexical, dense, Math.max(1, options.limit ?? 5));
  }

  /** The lexical path alone, synchronous: BM25, name coverage, confidence and abstention. */
  searchLexical(query: string, options: SearchOptions = {}): SearchResponse {
    const limit = Math.max(1, options.limit ?? 5);
    const terms = this.analyzer.queryTerms(query);
    const hits = this.index.search(terms, Math.max(limit, 10));
    return this.decide(query, this.score(terms, hits).slice(0, limit));
  }

  private namesOf(service: Service): NameWord[] {
    let words = this.nameWords.get(service.id);
    if (!words) {
      words = analyseWords(service.name).map((w) => ({
        stem: w.stem,
        parts: this.analyzer.splitCompound(w.surface),
      }));
      this.nameWords.set(service.id, words);
    }
    return words;
  }

  private score(terms: WeightedTerm[], hits: LexicalHit[]): ScoredService[] {
    const queryTerms = new Set(terms.map((t) => t.term));
    const weight = (stem: string) => this.analyzer.informativeness(stem);
    return hits
      .flatMap((h) => {
        const service = this.services.get(h.id);
        if (!service) return [];
        const named = nameCoverage(this.namesOf(service), queryTerms);
        const confidence = coverage(terms, h.matched, weight);
        // A service that accounts for more of the question ranks higher at equal BM25 score.
        const score =
          h.score * (1 + NAME_COVERAGE_BONUS * named) * confidence ** CONFIDENCE_EXPONENT;
        return [{ service, score, confidence }];
      })
      .sort((a, b) => b.score - a.score);
  }

  private fuse(
    lexical: SearchResponse,
    dense: { id: string; similarity: number }[],
    limit: number,
  ): SearchResponse {
    const fused = reciprocalRankFusion([
      lexical.results.map((r) => r.service.id),
      dense.map((d) => d.id),
    ]);
    const confidence = new Map(lexical.results.map((r) => [r.service.id, r.confidence]));
    const results = fused
      .flatMap(({ id, score }) => {
        const service = this.services.get(id);
        // Dense-only hits have no lexical evidence: offered as close services, never as the answer.
        return service && service.searchable
          ? [{ service, score, confidence: confidence.get(id) ?? 0 }]
          : [];
      })
      .slice(0, limit);
    return this.decide(lexical.query, results);
  }

  private decide(query: string, results: ScoredService[]): SearchResponse {
    const [top, second] = results;
    const abstained = !top || top.confidence < ABSTENTION.minConfidence;
    const closeCall =
      !abstained &&
      !!second &&
      second.confidence >= ABSTENTION.minConfidence &&
      second.score >= ABSTENTION.closeCallRatio * top.score;
    return { query, abstained, closeCall, results };
  }
}
