/**
 * The lexical index over searchable services: minisearch (BM25) on German-analysed fields, the
 * name weighted above keywords above the description. Services can be added, replaced and
 * removed one by one; a snapshot lets a restart skip the build when nothing changed.
 */
import MiniSearch, { type Options, type SearchResult } from 'minisearch';
import { ANALYZER_VERSION, type Analyzer, type WeightedTerm } from '../analysis/analyzer.js';
import type { Service } from '../schema.js';

/** Field boosts: a word in the name says more than one in the keywords, which says more than the text. */
export const FIELD_BOOSTS = { name: 4, keywords: 2, headings: 1.2, description: 1 } as const;
export type Field = keyof typeof FIELD_BOOSTS;
const FIELDS = Object.keys(FIELD_BOOSTS) as Field[];

/** Snapshot envelope: the index is only reused for the same catalogue and analysis. */
export interface IndexSnapshot {
  catalogueVersion: string;
  analyzerVersion: string;
  index: unknown;
}

function fieldText(service: Service, field: Field): string {
  switch (field) {
    case 'name':
      return service.name;
    case 'keywords':
      return service.keywords.join(' ; ');
    case 'headings':
      return service.sections.map((s) => s.heading).join(' ; ');
    case 'description':
      return service.description.text;
  }
}

export type MatchKind = 'exact' | 'approximate';
/** How one query term matched a document. */
export interface TermMatch {
  kind: MatchKind;
  fields: Field[];
}

/** A raw lexical hit: the service id, its BM25 score and which query terms it matched. */
export interface LexicalHit {
  id: string;
  score: number;
  /** Query terms that matched: literally, or only by typo tolerance or prefix, and in which fields. */
  matched: Map<string, TermMatch>;
}

/** Wraps a minisearch index whose terms come from the Lotse analyzer. */
export class ServiceIndex {
  private readonly mini: MiniSearch<Service>;

  private constructor(
    private readonly analyzer: Analyzer,
    mini?: MiniSearch<Service>,
  ) {
    this.mini = mini ?? new MiniSearch<Service>(ServiceIndex.options(analyzer));
  }

  private static options(analyzer: Analyzer): Options<Service> {
    return {
      idField: 'id',
      fields: FIELDS,
      extractField: (doc, field) => (field === 'id' ? doc.id : fieldText(doc, field as Field)),
      tokenize: (text) => analyzer.indexTerms(text),
      processTerm: (term) => term,
      searchOptions: { tokenize: (text) => text.split(' '), processTerm: (t) => t },
    };
  }

  /** Builds an index over the searchable services. */
  static build(analyzer: Analyzer, services: Iterable<Service>): ServiceIndex {
    const index = new ServiceIndex(analyzer);
    index.mini.addAll([...services].filter((s) => s.searchable));
    return index;
  }

  /** Restores an index from a snapshot, or returns undefined when it is stale or unreadable. */
  static fromSnapshot(
    analyzer: Analyzer,
    snapshot: IndexSnapshot,
    catalogueVersion: string,
  ): ServiceIndex | undefined {
    if (
      snapshot.catalogueVersion !== catalogueVersion ||
      snapshot.analyzerVersion !== ANALYZER_VERSION
    )
      return undefined;
    try {
      const mini = MiniSearch.loadJS<Service>(
        snapshot.index as Parameters<typeof MiniSearch.loadJS>[0],
        ServiceIndex.options(analyzer),
      );
      return new ServiceIndex(analyzer, mini);
    } catch {
      return undefined;
    }
  }

  /** Serialises the index for the given catalogue version. */
  snapshot(catalogueVersion: string): IndexSnapshot {
    return { catalogueVersion, analyzerVersion: ANALYZER_VERSION, index: this.mini.toJSON() };
  }

  /** Adds a service, or replaces the indexed one with the same id. Unsearchable services are removed. */
  upsert(service: Service): void {
    if (this.mini.has(service.id)) this.mini.discard(service.id);
    if (service.searchable) this.mini.add(service);
  }

  /** Removes a service; unknown ids are ignored. */
  remove(id: string): void {
    if (this.mini.has(id)) this.mini.discard(id);
  }

  get size(): number {
    return this.mini.documentCount;
  }

  /** BM25 search with per-term weights, typo tolerance on longer words and prefix matching. */
  search(terms: WeightedTerm[], limit: number): LexicalHit[] {
    if (!terms.length) return [];
    const weights = new Map(terms.map((t) => [t.term, t.weight]));
    // Typo tolerance only for what the user typed: expansions are spelled right,
    // and fuzzy matching them would cost time and precision.
    const own = new Set(terms.filter((t) => t.origin === 'query').map((t) => t.term));
    const results: SearchResult[] = this.mini.search(terms.map((t) => t.term).join(' '), {
      boost: FIELD_BOOSTS,
      combineWith: 'OR',
      boostTerm: (term) => weights.get(term) ?? 1,
      prefix: (term) => term.length >= 5,
      fuzzy: (term) =>
        !own.has(term) ? false : term.length >= 6 ? 0.2 : term.length >= 4 ? 1 : false,
      maxFuzzy: 2,
    });
    return results
      .slice(0, limit)
      .map((r) => ({ id: String(r.id), score: r.score, matched: matchedTerms(r) }));
  }
}

function matchedTerms(r: SearchResult): Map<string, TermMatch> {
  const queryTerms = new Set(r.queryTerms);
  const out = new Map<string, TermMatch>();
  for (const q of r.queryTerms) {
    const exact = r.match[q] as Field[] | undefined;
    if (exact) {
      out.set(q, { kind: 'exact', fields: exact });
      continue;
    }
    // Typo-tolerant and prefix matches: the document terms that are no query term themselves and
    // share the query term's beginning (fuzzy matching allows at most two edits).
    const fields = new Set<Field>();
    for (const [docTerm, f] of Object.entries(r.match)) {
      if (!queryTerms.has(docTerm) && docTerm.slice(0, 2) === q.slice(0, 2))
        (f as Field[]).forEach((x) => fields.add(x));
    }
    out.set(q, { kind: 'approximate', fields: fields.size ? [...fields] : ['description'] });
  }
  return out;
}
