/**
 * Answers a citizen's question from the catalogue: search, then the facet asked for. Returns the
 * answer, a choice between close candidates, or an honest abstention with the closest services.
 */
import { detectLanguage, type Language } from '../analysis/language.js';
import type { ServiceSearch } from '../search/searcher.js';
import { contentStems } from '../search/confidence.js';
import { answerFacet, type Answer, type ServiceRef } from './answer.js';
import { detectFacet, type Facet } from './facet.js';

export interface AskResult {
  question: string;
  language: Language;
  facet: Facet;
  /** The answer, unless search abstained. */
  answer?: Answer;
  /** True when no service matched confidently. */
  abstained: boolean;
  /** Services to choose from: the close calls, or the closest services after an abstention. */
  candidates: ServiceRef[];
}

const MAX_CANDIDATES = 3;

export interface AskOptions {
  /** Overrides language detection (for example the chat's language). */
  language?: Language;
  /** The service talked about so far; a question that names no service refers to it. */
  contextServiceId?: string;
}

/**
 * True when a question names no topic of its own ("Und was kostet das?", "Wo ist das?"): only
 * question words, facet cues and words that point back.
 */
export function isFollowUp(search: ServiceSearch, question: string): boolean {
  return contentStems(search.analyzer.queryTerms(question)).length === 0;
}

/** Answers one question, by facet, from the catalogue. */
export async function ask(
  search: ServiceSearch,
  question: string,
  options: AskOptions = {},
): Promise<AskResult> {
  const language = options.language ?? detectLanguage(question);
  const facet = detectFacet(question);
  const context = options.contextServiceId ? search.get(options.contextServiceId) : undefined;
  if (context && isFollowUp(search, question)) {
    return {
      question,
      language,
      facet,
      abstained: false,
      answer: answerFacet(context, facet, 1, language),
      candidates: [],
    };
  }
  const response = await search.search(question, { limit: MAX_CANDIDATES + 2 });
  const [top] = response.results;
  const refs = response.results
    .slice(0, MAX_CANDIDATES)
    .map((r) => ({ id: r.service.id, name: r.service.name }));
  if (response.abstained || !top) {
    return { question, language, facet, abstained: true, candidates: refs };
  }
  return {
    question,
    language,
    facet,
    abstained: false,
    answer: answerFacet(top.service, facet, top.confidence, language),
    candidates: response.closeCall ? refs : [],
  };
}
