/**
 * Input clean-up shared by the parsers. Text arrives from chat clients with non-breaking spaces,
 * zero-width characters, full-width digits (mobile keyboards) and typographic dashes; folding
 * them once here keeps every parser's patterns simple.
 */

/**
 * Unicode compatibility folding (full-width digits, ligatures), typographic dashes and minus to
 * "-", any whitespace run to one space, invisible characters removed, trimmed.
 */
export function cleanInput(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u200b-\u200d\u2060\ufeff\u00ad]/g, '')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Lower-case with umlauts and ß spelled out (ä → ae, ß → ss), so "März", "Maerz" and "MÄRZ" meet
 * in one lookup key. Word lists are written in this folded form.
 */
export function foldGerman(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss');
}
