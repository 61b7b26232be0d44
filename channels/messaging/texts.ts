/** What the messenger channels themselves say (not the bot), in German and English. */
export const MESSAGING_TEXTS = {
  de: {
    chooseByNumber: 'Antworten Sie mit der Nummer Ihrer Wahl.',
    listButton: 'Auswählen',
    slowDown:
      'Sie schreiben gerade sehr schnell. Bitte warten Sie einen Moment, dann antworte ich wieder.',
    fileRefused: (maxMb: number) =>
      `Diese Datei kann ich nicht annehmen. Bitte senden Sie ein Foto (JPEG oder PNG) oder ein PDF bis ${maxMb} MB.`,
    failed:
      'Entschuldigung, da ist bei mir etwas schiefgegangen. Ihre Nachricht ist angekommen; bitte versuchen Sie es gleich noch einmal.',
    fileUnavailable:
      'Ihre Datei konnte ich gerade nicht abrufen. Bitte senden Sie sie noch einmal.',
    choiceExpired:
      'Diese Auswahl ist nicht mehr aktuell. Bitte antworten Sie auf meine letzte Nachricht.',
  },
  en: {
    chooseByNumber: 'Reply with the number of your choice.',
    listButton: 'Choose',
    slowDown: "You're writing very fast. Please wait a moment, then I'll answer again.",
    fileRefused: (maxMb: number) =>
      `I can't accept this file. Please send a photo (JPEG or PNG) or a PDF of up to ${maxMb} MB.`,
    failed:
      'Sorry, something went wrong on my side. Your message arrived; please try again in a moment.',
    fileUnavailable: "I couldn't fetch your file just now. Please send it again.",
    choiceExpired: 'This choice is no longer current. Please answer my last message.',
  },
} as const;

export type MessagingLanguage = keyof typeof MESSAGING_TEXTS;

/** The texts for a locale tag (`de-DE`, `en`, …); German unless it is English. */
export function messagingTexts(locale: string | undefined) {
  return MESSAGING_TEXTS[locale?.toLowerCase().startsWith('en') ? 'en' : 'de'];
}
