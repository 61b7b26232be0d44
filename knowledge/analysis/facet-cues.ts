/**
 * Words that say which facet of a service is asked for (what it costs, what to bring, where,
 * online, how long) rather than which service. They steer the answer and are not counted as
 * topic words when search judges its confidence.
 */
import { analyseWords } from './words.js';

/** The facets an answer can be about. */
export type Facet = 'fees' | 'documents' | 'locations' | 'online' | 'duration' | 'general';

/** Cue words per facet, German and English, in their natural spelling. */
export const FACET_CUES: Readonly<Record<Exclude<Facet, 'general'>, readonly string[]>> = {
  fees: [
    'kosten',
    'kostet',
    'kostenlos',
    'gebühr',
    'gebühren',
    'preis',
    'teuer',
    'bezahlen',
    'zahlen',
    'euro',
    'cost',
    'costs',
    'fee',
    'fees',
    'price',
    'pay',
  ],
  documents: [
    'unterlagen',
    'dokumente',
    'mitbringen',
    'mitnehmen',
    'nachweis',
    'nachweise',
    'voraussetzung',
    'voraussetzungen',
    'benötigt',
    'brauche',
    'vorlegen',
    'documents',
    'bring',
    'need',
    'required',
    'requirements',
  ],
  locations: [
    'wo',
    'wohin',
    'adresse',
    'standort',
    'öffnungszeiten',
    'telefon',
    'telefonnummer',
    'kontakt',
    'erreichen',
    'hingehen',
    'zuständig',
    'where',
    'address',
    'office',
    'contact',
    'phone',
  ],
  online: [
    'online',
    'internet',
    'digital',
    'termin',
    'terminvereinbarung',
    'buchen',
    'appointment',
    'book',
  ],
  duration: [
    'dauert',
    'dauer',
    'lange',
    'wartezeit',
    'bearbeitungszeit',
    'long',
    'duration',
    'takes',
  ],
};

const CUE_STEMS: ReadonlyMap<string, Exclude<Facet, 'general'>> = new Map(
  (Object.entries(FACET_CUES) as [Exclude<Facet, 'general'>, readonly string[]][]).flatMap(
    ([facet, words]) => words.flatMap((w) => analyseWords(w).map((a) => [a.stem, facet] as const)),
  ),
);

/** True when a stem is a facet cue. */
export function isFacetCue(stem: string): boolean {
  return CUE_STEMS.has(stem);
}

/** The facet a stem points to, if any. */
export function facetOfStem(stem: string): Exclude<Facet, 'general'> | undefined {
  return CUE_STEMS.get(stem);
}
