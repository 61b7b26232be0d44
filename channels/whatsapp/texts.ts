/**
 * What the WhatsApp channel itself writes (not the bot), in German and English. WhatsApp tells
 * no language, so the client is configured with one (German by default).
 */
export const WHATSAPP_TEXTS = {
  de: {
    /** The body of a button or list message when the bot's text was too long to carry it. */
    choosePrompt: 'Bitte wählen Sie:',
    /** The label of the button that opens a list message, when the renderer gave none. */
    listButton: 'Auswählen',
  },
  en: {
    choosePrompt: 'Please choose:',
    listButton: 'Choose',
  },
} as const;

export type WhatsAppLanguage = keyof typeof WHATSAPP_TEXTS;
