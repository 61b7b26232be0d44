/**
 * The word pipeline shared by everything that analyses text: normalise → tokenise → drop stop
 * words → stem. Kept separate from the analyzer so synonym files and vocabularies use exactly
 * the same steps as the index.
 */
import { normalise } from './normalise.js';
import { stem } from './stem.js';
import { isStopWord } from './stopwords.js';
import { tokenise } from './tokenise.js';

/** A token with its normalised surface form and its stem. */
export interface Word {
  surface: string;
  stem: string;
}

/** Analyses text into words, without stop words. */
export function analyseWords(text: string): Word[] {
  return tokenise(normalise(text))
    .filter((t) => !isStopWord(t))
    .map((surface) => ({ surface, stem: stem(surface) }));
}
