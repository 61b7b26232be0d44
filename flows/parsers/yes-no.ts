/**
 * Yes or no in German and English, including the colloquial forms people type in chat ("jo",
 * "passt", "nö", "yep"). The whole answer must consist of yes/no words and politeness ("ja,
 * bitte", "nein danke"); anything else ("nein, die Straße ist Hauptstraße 5") is 'yes-no.unknown'
 * so the engine can treat it as a correction or a question instead of guessing.
 */
import { failed, parsed, type ParseResult } from './result.js';
import { cleanInput, foldGerman } from './text.js';

type Word = 'yes' | 'no' | 'filler';

/** Phrases in folded form (see `foldGerman`), apostrophes removed. */
const PHRASES: ReadonlyMap<string, Word> = new Map(
  (
    [
      [
        'yes',
        `ja|jo|joa|jap|jep|jup|jawohl|jawoll|j|klar|na klar|klaro|gerne|gern|ok|okay|okey|oki|
        passt|passt so|stimmt|stimmt so|richtig|genau|korrekt|sicher|aber sicher|natuerlich|
        selbstverstaendlich|einverstanden|absolut|auf jeden fall|in ordnung|alles klar|doch|gut|
        super|prima|perfekt|yes|yeah|yea|yep|yup|y|sure|of course|correct|right|alright|
        all right|fine|absolutely|definitely|good|perfect|great`,
      ],
      [
        'no',
        `nein|ne|nee|noe|no|nope|nah|nay|n|falsch|auf keinen fall|keinesfalls|lieber nicht|
        eher nicht|nicht richtig|nicht korrekt|stimmt nicht|passt nicht|nicht ok|nicht okay|
        no way|not really|not correct|not right|incorrect|wrong|definitely not|of course not`,
      ],
      [
        'filler',
        `bitte|danke|vielen dank|danke schoen|das|ist|es|so|alles|schon|sehr|please|thanks|
        thank you|thats|that|it|is|its`,
      ],
    ] as const
  ).flatMap(([word, phrases]) =>
    phrases.split('|').map((phrase) => [phrase.trim().replace(/\s+/g, ' '), word] as const),
  ),
);

/** Longest phrase the word lists contain, in words. */
const LONGEST = Math.max(...[...PHRASES.keys()].map((p) => p.split(' ').length));

/** Emoji answers, mapped to words before punctuation is dropped. */
function replaceEmoji(text: string): string {
  return text
    .replace(/[\u{1F44D}\u2705\u2714\u{1F44C}]/gu, ' ja ')
    .replace(/[\u{1F44E}\u274C\u2716]/gu, ' nein ');
}

/** The words of an answer, or undefined when one of them is not a yes/no/politeness word. */
function classify(text: string): Word[] | undefined {
  const tokens = foldGerman(replaceEmoji(text))
    .replace(/['’`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((t) => t.length > 0);
  const words: Word[] = [];
  let i = 0;
  while (i < tokens.length) {
    let length = Math.min(LONGEST, tokens.length - i);
    for (; length > 0; length--) {
      const word = PHRASES.get(tokens.slice(i, i + length).join(' '));
      if (word) {
        words.push(word);
        break;
      }
    }
    if (length === 0) return undefined;
    i += length;
  }
  return words;
}

/**
 * Parses a yes/no answer. The value is `true` for yes; the display is "Ja" or "Nein" (the engine
 * localises booleans in English summaries). Mixed answers ("ja nein") and answers with other
 * words are 'yes-no.unknown', never both.
 */
export function parseYesNo(text: string): ParseResult<boolean> {
  const input = cleanInput(text);
  if (!input) return failed('empty');
  const words = classify(input);
  const yes = words?.includes('yes') ?? false;
  const no = words?.includes('no') ?? false;
  if (yes === no) return failed('yes-no.unknown');
  return yes ? parsed(true, 'Ja') : parsed(false, 'Nein');
}
