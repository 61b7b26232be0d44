/**
 * Groups questions by topic for the editors' list of unanswered questions: "Hundesteuer zahlen",
 * "zahle Hundesteuer" and "Was kostet die Hundesteuer?" are one gap in the catalogue, not three.
 * The key is made of the question's topic words, analysed exactly as search analyses a query
 * (normalise, tokenise, drop stop words, stem), so word order, inflection, case and umlaut
 * spelling do not split a group.
 */
import { isFacetCue } from '../../knowledge/analysis/facet-cues.js';
import { INTENT_WORDS } from '../../knowledge/analysis/stopwords.js';
import { normalise } from '../../knowledge/analysis/normalise.js';
import { stem } from '../../knowledge/analysis/stem.js';
import { tokenise } from '../../knowledge/analysis/tokenise.js';
import { analyseWords } from '../../knowledge/analysis/words.js';
import { PLACEHOLDERS, redactQuestion } from './redact.js';

/** The key of a question without any word (only punctuation, emoji or masked data). */
export const NO_WORDS_KEY = '?';

/** Keys keep whole stems up to this many characters; the question itself is at most 300. */
export const MAX_GROUP_KEY_LENGTH = 200;

/** Masks and link placeholders, removed before analysis so "[E-Mail]" adds no words "e mail". */
const PLACEHOLDER_TEXT = new RegExp(
  [
    ...Object.values(PLACEHOLDERS).map((p) => p.replace(/[[\]#]/g, (c) => `\\${c}`)),
    '\\[Link: [^\\]]*\\]',
  ].join('|'),
  'g',
);

function unique(stems: string[]): string[] {
  return [...new Set(stems)].sort();
}

/**
 * The group key of a question: its topic stems, de-duplicated, sorted and joined by a space.
 * Question words ("wie", "wo") and facet cues ("kostet", "zahlen", "Unterlagen") say what is
 * asked about a topic, not which topic, and are left out. A question with nothing else falls
 * back to all its stems ("Was kostet das?" → `kostet`), then to its stop words ("Hallo!" →
 * `hallo`), then to `NO_WORDS_KEY`: the key is never empty, so every question can be stored.
 * Personal data is masked first and never part of a key; tokens with digits are dropped.
 */
export function questionGroupKey(text: string): string {
  const masked = redactQuestion(text).replace(PLACEHOLDER_TEXT, ' ');
  const noDigits = (s: string) => !/\d/.test(s);
  const stems = analyseWords(masked)
    .map((w) => w.stem)
    .filter(noDigits);
  const topic = stems.filter((s) => !INTENT_WORDS.has(s) && !isFacetCue(s));
  const words = tokenise(normalise(masked)).filter(noDigits).map(stem);
  const chosen = [topic, stems, words].find((list) => list.length > 0) ?? [NO_WORDS_KEY];
  const keep: string[] = [];
  let length = 0;
  for (const s of unique(chosen)) {
    length += s.length + (keep.length > 0 ? 1 : 0);
    if (length > MAX_GROUP_KEY_LENGTH) break;
    keep.push(s);
  }
  return keep.length > 0 ? keep.join(' ') : NO_WORDS_KEY;
}
