/**
 * Snowball stemming for German (via @orama/stemmers, the same stems as @nlpjs/lang-de at under a
 * microsecond per word), followed by umlaut folding so that "Gebühren", "Gebuehren" and
 * "Gebuhren" share the stem "gebuhr".
 */
import { stemmer as germanStemmer } from '@orama/stemmers/german';
import { foldUmlauts } from './normalise.js';

/** Stems one normalised token. Digits and very short tokens are returned unchanged. */
export function stem(token: string): string {
  if (token.length < 4 || /\d/.test(token)) return foldUmlauts(token);
  return foldUmlauts(germanStemmer(token));
}
