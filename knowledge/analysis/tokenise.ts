/**
 * Splits normalised text into word tokens. Letters (any script) and digits form tokens;
 * hyphenated compounds ("Gewerbe-Anmeldung") yield their parts; paragraph signs and
 * numbers are kept because citizens cite them ("§ 81", "Teil II").
 */
const WORD = /[\p{L}\p{N}]+/gu;

/** Returns the word tokens of a (normalised) text in order. */
export function tokenise(text: string): string[] {
  return text.match(WORD) ?? [];
}
