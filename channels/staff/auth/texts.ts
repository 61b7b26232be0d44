/**
 * What staff read when the console refuses a request: not logged in, not allowed, a form that is
 * no longer valid, too many wrong passwords. German, like the rest of the console.
 */
export const AUTH_TEXTS = {
  de: {
    unauthenticatedTitle: 'Anmeldung erforderlich',
    unauthenticated: 'Bitte melden Sie sich an, um die Service-Konsole zu nutzen.',
    toLogin: 'Zur Anmeldung',
    forbiddenTitle: 'Kein Zugriff',
    forbidden: 'Ihre Rolle erlaubt diese Seite oder Aktion nicht.',
    csrfTitle: 'Anfrage abgelehnt',
    csrf: 'Das Formular ist nicht mehr gültig oder kam nicht von dieser Seite. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.',
    backToStart: 'Zur Startseite',
  },
} as const;
