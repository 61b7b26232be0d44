/** The login's words. One message for unknown user and wrong password, so neither is revealed. */
export const LOGIN_TEXTS = {
  de: {
    title: 'Anmeldung',
    intro: 'Melden Sie sich mit Ihrem Konto der Service-Konsole an.',
    username: 'Benutzername',
    password: 'Passwort',
    submit: 'Anmelden',
    errorHeading: 'Die Anmeldung hat nicht geklappt',
    failed: 'Benutzername oder Passwort ist falsch.',
    invalid: 'Bitte geben Sie Benutzername und Passwort ein.',
    limited: (minutes: number) =>
      `Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es in ${minutes} ${minutes === 1 ? 'Minute' : 'Minuten'} erneut.`,
    loggedOut: 'Sie wurden abgemeldet.',
  },
} as const;
