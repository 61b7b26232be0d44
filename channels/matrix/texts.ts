/**
 * What the Matrix channel itself writes into a room (not the bot). Matrix does not tell a user's
 * language, so the texts are German, like the bot's default.
 */
export const matrixTexts = {
  /**
   * Sent once per room (per process) when someone writes in an encrypted room: Lotse holds no
   * room keys, so it cannot read what was written — without this the user would wait for nothing.
   */
  encryptedRoom:
    'Lotse kann in verschlüsselten Räumen nicht mitlesen. Bitte schreiben Sie in einem unverschlüsselten Raum.',
} as const;
