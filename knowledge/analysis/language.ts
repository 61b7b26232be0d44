/**
 * Tells German from English in short citizen questions, so answers follow the user's language.
 * Counts function words and typical letters of each language; German wins ties, since the
 * catalogue and most users are German.
 */
import { normalise } from './normalise.js';
import { tokenise } from './tokenise.js';

/** Languages Lotse answers in. */
export type Language = 'de' | 'en';

const ENGLISH = new Set(
  'the a an is are do does how what where when which who can i my me need to for of in on with please my your get much cost costs fee lost stolen register apply renew passport licence license car'.split(
    ' ',
  ),
);
const GERMAN = new Set(
  'der die das ist sind wie was wo wann wer kann ich mein meine brauche für von mit bitte bekomme kostet kosten einen eine ein und beantragen verloren melden nicht'.split(
    ' ',
  ),
);

/** The language of a question: 'en' when English words clearly outnumber German ones. */
export function detectLanguage(text: string): Language {
  const normalised = normalise(text);
  const tokens = tokenise(normalised);
  let en = 0;
  let de = /[äöüß]/.test(normalised) ? 2 : 0;
  for (const t of tokens) {
    if (ENGLISH.has(t)) en++;
    if (GERMAN.has(t)) de++;
  }
  return en > de ? 'en' : 'de';
}
