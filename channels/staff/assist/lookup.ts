/**
 * Looks up a caller's concern for staff: the same search and abstention rule the citizens' bot
 * uses, so an agent never gets a confident card where the bot would have said it does not know.
 * Cards go to the services search stands behind (the top one, or all that are a close call);
 * the other results are listed as candidates to look at.
 */
import { detectFacet, type Facet } from '../../../knowledge/answers/facet.js';
import type { KnowledgeBase } from '../../../knowledge/knowledge-base.js';
import type { Service } from '../../../knowledge/schema.js';
import { ABSTENTION, type ScoredService } from '../../../knowledge/search/searcher.js';
import type { FlowRegistry } from '../../../flows/registry.js';
import { buildCard, confidenceLevel, type AnswerCard, type ConfidenceLevel } from './card.js';

/** Results fetched per search (as the brief of the console asks: the top five). */
export const SEARCH_LIMIT = 5;
/** At most this many cards on a close call; the rest are candidates. */
const MAX_CARDS = 3;
/** The longest concern accepted, as for the public search API. */
export const MAX_QUERY_LENGTH = 500;

/** A service offered to look at, with how well it fits. */
export interface Candidate {
  id: string;
  name: string;
  confidence: number;
  confidenceLevel: ConfidenceLevel;
}

export interface Lookup {
  query: string;
  /** The facet the caller asked about; its fact is marked on the cards. */
  facet: Facet;
  /** True when the catalogue has no confident answer: no cards, only candidates. */
  abstained: boolean;
  /** True when several services fit about equally well. */
  closeCall: boolean;
  cards: AnswerCard[];
  candidates: Candidate[];
}

/** The flow staff can start for a service, for the card's link. */
function flowFor(registry: FlowRegistry, serviceId: string) {
  const flow = registry.forService(serviceId);
  return flow ? { id: flow.id, title: flow.title.de } : undefined;
}

/** The card of one service, opened directly (from a candidate link). */
export function serviceCard(registry: FlowRegistry, service: Service): AnswerCard {
  const flow = flowFor(registry, service.id);
  return buildCard(service, { confidence: 1, ...(flow ? { flow } : {}) });
}

/** The results that get a card: the top one, and on a close call the ones as good as it. */
function carded(results: ScoredService[], abstained: boolean, closeCall: boolean) {
  const [top] = results;
  if (abstained || !top) return [];
  if (!closeCall) return [top];
  return results
    .filter(
      (r) =>
        r.confidence >= ABSTENTION.minConfidence &&
        r.score >= ABSTENTION.closeCallRatio * top.score,
    )
    .slice(0, MAX_CARDS);
}

/** Searches the catalogue for a concern and builds the cards and candidates. */
export async function lookUp(
  knowledge: KnowledgeBase,
  registry: FlowRegistry,
  query: string,
): Promise<Lookup> {
  const response = await knowledge.search.search(query, { limit: SEARCH_LIMIT });
  const facet = detectFacet(query);
  const withCards = carded(response.results, response.abstained, response.closeCall);
  const cards = withCards.map((r) => {
    const flow = flowFor(registry, r.service.id);
    return buildCard(r.service, {
      confidence: r.confidence,
      facet,
      ...(flow ? { flow } : {}),
    });
  });
  const candidates = response.results
    .filter((r) => !withCards.includes(r))
    .map((r) => ({
      id: r.service.id,
      name: r.service.name,
      confidence: r.confidence,
      confidenceLevel: confidenceLevel(r.confidence),
    }));
  return {
    query: response.query,
    facet,
    abstained: response.abstained,
    closeCall: response.closeCall,
    cards,
    candidates,
  };
}
