/**
 * What the Direct Line channel itself says to users, in German and English. Everything else the
 * user reads comes from the bot.
 */
export const DIRECT_LINE_TEXTS = {
  de: {
    turnFailed: 'Entschuldigung, da ist etwas schiefgegangen. Bitte versuchen Sie es noch einmal.',
  },
  en: {
    turnFailed: 'Sorry, something went wrong. Please try again.',
  },
} as const;

/** The apology after a failed turn, in the user's language (German unless they use English). */
export function turnFailedText(locale: string | undefined): string {
  return locale?.toLowerCase().startsWith('en')
    ? DIRECT_LINE_TEXTS.en.turnFailed
    : DIRECT_LINE_TEXTS.de.turnFailed;
}
