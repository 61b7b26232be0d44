/**
 * What the Telegram channel itself puts into a conversation. Commands are Telegram's menu
 * entries (`/start` is what the app sends when a user opens the bot: it gets the help, which says what Lotse can do); each becomes the words the
 * bot already understands, so no command needs its own handling in the bot.
 */
export const telegramTexts = {
  /** Under buttons when a bot message has buttons but no text (Telegram needs some text). */
  buttonsOnly: '⬇️',
  /** `/command` → the text the bot receives. Commands not listed arrive without the slash. */
  commands: {
    start: 'Hilfe',
    hilfe: 'Hilfe',
    help: 'Help',
    neustart: 'Neustart',
    restart: 'Restart',
    mitarbeiter: 'Mitarbeiter sprechen',
    human: 'Talk to a person',
    daten: 'Meine Daten',
    loeschen: 'Daten löschen',
  } as Record<string, string>,
} as const;
