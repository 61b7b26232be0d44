/**
 * Answers a citizen's question from the catalogue: search, then the facet asked for. Returns the
 * answer, a choice between close candidates, or an honest abstention with the closest services.
 */
import { detectLanguage, type Language } from '../analysis/language.js';
import type { ServiceSearch } from '../search/searcher.js';
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

/** Answers one question; `language` overrides detection (for example from the chat's locale). */
export async function ask(
  search: ServiceSearch,
  question: string,
  options: { language?: Language } = {},
): Promise<AskResult> {
  const language = options.language ?? detectLanguage(question);
  const facet = detectFacet(question);
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
