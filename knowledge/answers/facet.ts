/**
 * Detects which facet of a service a question asks about — fees, documents and prerequisites,
 * where (locations and contact), online and appointment, duration — or none in particular.
 */
import { facetOfStem, type Facet } from '../analysis/facet-cues.js';
import { analyseWords } from '../analysis/words.js';
import { normalise } from '../analysis/normalise.js';

export type { Facet } from '../analysis/facet-cues.js';

/** Phrases whose words are stop words on their own but ask for a facet together. */
const PHRASES: readonly [RegExp, Exclude<Facet, 'general'>][] = [
  [/\bwie ?viel\b|\bhow much\b/, 'fees'],
  [/\bwas (brauche|benötige|muss) ich\b|\bwhat do i need\b/, 'documents'],
  [/\bwie lange?\b|\bhow long\b/, 'duration'],
];

/** Order of precedence when a question has cues of several facets equally often. */
const PRECEDENCE: readonly Exclude<Facet, 'general'>[] = [
  'fees',
  'documents',
  'online',
  'locations',
  'duration',
];

/** The facet a question asks about; 'general' when it names none. */
export function detectFacet(question: string): Facet {
  const counts = new Map<Exclude<Facet, 'general'>, number>();
  const text = normalise(question);
  for (const [pattern, facet] of PHRASES)
    if (pattern.test(text)) counts.set(facet, (counts.get(facet) ?? 0) + 2);
  for (const w of analyseWords(question)) {
    const facet = facetOfStem(w.stem);
    if (facet) counts.set(facet, (counts.get(facet) ?? 0) + 1);
  }
  let best: Facet = 'general';
  let bestCount = 0;
  for (const facet of PRECEDENCE) {
    const c = counts.get(facet) ?? 0;
    if (c > bestCount) {
      best = facet;
      bestCount = c;
    }
  }
  return best;
}
