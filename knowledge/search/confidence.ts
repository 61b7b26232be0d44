/**
 * How sure search is about a hit. BM25 scores are not comparable across queries, so confidence is
 * the share of the citizen's content words that the hit accounts for: literally (full credit),
 * through a compound part or synonym (a little less), or only by typo tolerance or prefix
 * (less again). Question words ("wie", "wo") signal the facet, not the topic, and are not counted.
 */
import type { WeightedTerm } from '../analysis/analyzer.js';
import { INTENT_WORDS } from '../analysis/stopwords.js';
import type { Field, TermMatch } from './service-index.js';
import { isFacetCue } from '../analysis/facet-cues.js';

/** Credit for a user's word by how a hit matched it. */
export const MATCH_CREDIT = {
  query: { exact: 1, approximate: 0.7 },
  compound: { exact: 0.85, approximate: 0.5 },
  synonym: { exact: 0.9, approximate: 0.5 },
} as const;

/**
 * How much a match in a field says about the topic: a word in the name or keywords names the
 * service; a word somewhere in a long description may be incidental.
 */
export const FIELD_CREDIT: Readonly<Record<Field, number>> = {
  name: 1,
  keywords: 1,
  headings: 0.8,
  description: 0.55,
};

/** The user's content words of a query (stems), excluding question words and facet cues. */
export function contentStems(terms: WeightedTerm[]): string[] {
  const content = terms.filter(
    (t) => t.origin === 'query' && !INTENT_WORDS.has(t.term) && !isFacetCue(t.term),
  );
  return content.map((t) => t.term);
}

/**
 * Share (0–1) of the query's content words that a hit covers, each word weighted by how
 * informative it is (`weight`), so an unmatched rare word costs more than an unmatched "beantragen".
 */
export function coverage(
  terms: WeightedTerm[],
  matched: Map<string, TermMatch>,
  weight: (stem: string) => number = () => 1,
): number {
  const content = contentStems(terms);
  if (!content.length) return 0;
  const credit = new Map<string, number>();
  // A compound counts as covered by its parts only as far as all its parts match: the average.
  const partCredit = new Map<string, { sum: number; parts: number }>();
  for (const t of terms) {
    const match = matched.get(t.term);
    const c = match
      ? MATCH_CREDIT[t.origin][match.kind] * Math.max(...match.fields.map((f) => FIELD_CREDIT[f]))
      : 0;
    for (const from of t.from) {
      if (t.origin === 'compound') {
        const p = partCredit.get(from) ?? { sum: 0, parts: 0 };
        partCredit.set(from, { sum: p.sum + c, parts: p.parts + 1 });
      } else credit.set(from, Math.max(credit.get(from) ?? 0, c));
    }
  }
  for (const [from, p] of partCredit)
    credit.set(from, Math.max(credit.get(from) ?? 0, p.sum / p.parts));
  const total = content.reduce((sum, s) => sum + weight(s), 0);
  return content.reduce((sum, s) => sum + weight(s) * (credit.get(s) ?? 0), 0) / total;
}

/**
 * Share (0–1) of a service name's words that the query accounts for (any query term, expansions
 * included). "Reisepass" is fully named by a question about a Reisepass; "Verlust oder Diebstahl
 * Reisepass" only in part, so the former should win when nothing speaks of a loss.
 */
export function nameCoverage(nameWords: NameWord[], queryTerms: ReadonlySet<string>): number {
  if (!nameWords.length) return 0;
  const covered = nameWords.filter(
    (w) =>
      queryTerms.has(w.stem) || (w.parts.length > 0 && w.parts.every((p) => queryTerms.has(p))),
  );
  return covered.length / nameWords.length;
}

/** A content word of a service name, with its compound parts. */
export interface NameWord {
  stem: string;
  parts: string[];
}
