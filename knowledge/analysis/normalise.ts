/**
 * Character-level normalisation shared by indexing and queries, so that "Führerschein",
 * "Fuehrerschein" and "FÜHRERSCHEIN" become the same term.
 */

/** Lower-cases, applies Unicode compatibility folding, spells ß as ss and removes invisible characters. */
export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[\u200b-\u200d\ufeff\u00ad]/g, '');
}

/**
 * Folds umlauts and their two-letter spellings to the base vowel (ä, ae → a). Applied to stems
 * on both sides of the index, so it only has to be consistent, not linguistically exact.
 */
export function foldUmlauts(term: string): string {
  return term.replace(/ä|ae/g, 'a').replace(/ö|oe/g, 'o').replace(/ü|ue/g, 'u');
}
