/**
 * Service search: analysis, the lexical index and (when configured) dense retrieval, fused and
 * scored with a confidence that decides whether Lotse answers, offers a choice or says honestly
 * that it does not know.
 */
import { Analyzer, buildVocabulary, type WeightedTerm } from '../analysis/analyzer.js';
import type { SynonymSet } from '../analysis/synonyms.js';
import type { Catalogue, Service } from '../schema.js';
import { coverage } from './confidence.js';
import { ServiceIndex, type IndexSnapshot, type LexicalHit } from './service-index.js';

/** Thresholds of the abstention rule; calibrated on the development query set (see README). */
export const ABSTENTION = {
  /** Below this confidence the top hit is not offered as the answer. */
  minConfidence: 0.6,
  /** A runner-up scoring at least this share of the top score makes the result a close call. */
  closeCallRatio: 0.85,
} as const;

export interface ScoredService {
  service: Service;
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

/** The texts whose words make up the vocabulary compound parts are taken from. */
function vocabularyTexts(services: Service[]): string[] {
  return services
    .filter((s) => s.searchable)
    .flatMap((s) => [s.name, ...s.keywords, s.description.text]);
}

/** Searches one catalogue. */
export class ServiceSearch {
  private readonly services: Map<string, Service>;

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
    const analyzer = new Analyzer(
      buildVocabulary(vocabularyTexts(catalogue.services)),
      options.synonyms ?? [],
    );
    const restored =
      options.snapshot && ServiceIndex.fromSnapshot(analyzer, options.snapshot, catalogue.version);
    const index = restored ?? ServiceIndex.build(analyzer, catalogue.services);
    return { search: new ServiceSearch(analyzer, index, catalogue.services), rebuilt: !restored };
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

  /** Adds or replaces one service without rebuilding the index. */
  upsert(service: Service): void {
    this.services.set(service.id, service);
    this.index.upsert(service);
  }

  /** Removes one service without rebuilding the index. */
  remove(id: string): void {
    this.services.delete(id);
    this.index.remove(id);
  }

  /** Ranks services for a question and decides whether to answer, offer a choice, or abstain. */
  search(query: string, options: SearchOptions = {}): SearchResponse {
    const limit = Math.max(1, options.limit ?? 5);
    const terms = this.analyzer.queryTerms(query);
    const hits = this.index.search(terms, Math.max(limit, 10));
    return this.decide(query, terms, hits, limit);
  }

  private decide(
    query: string,
    terms: WeightedTerm[],
    hits: LexicalHit[],
    limit: number,
  ): SearchResponse {
    const results = hits
      .map((h) => ({
        service: this.services.get(h.id),
        score: h.score,
        confidence: coverage(terms, h.matched),
      }))
      .filter((r): r is ScoredService => !!r.service)
      .slice(0, limit);
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
