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

function votes(text: string): { de: number; en: number } {
  const normalised = normalise(text);
  let en = 0;
  let de = /[äöüß]/.test(normalised) ? 2 : 0;
  for (const t of tokenise(normalised)) {
    if (ENGLISH.has(t)) en++;
    if (GERMAN.has(t)) de++;
  }
  return { de, en };
}

/** The language of a question: 'en' when English words clearly outnumber German ones. */
export function detectLanguage(text: string): Language {
  const v = votes(text);
  return v.en > v.de ? 'en' : 'de';
}

/**
 * The language a message gives evidence of, or undefined for messages without any ("Perso",
 * "ok"), so a conversation keeps its language until the user really switches.
 */
export function languageSignal(text: string): Language | undefined {
  const v = votes(text);
  if (v.en === v.de) return undefined;
  return v.en > v.de ? 'en' : 'de';
}
