/**
 * The console's own words (German; staff work in German). Module texts live next to their module;
 * these are the ones the frame and the login use.
 */
export const STAFF_TEXTS = {
  de: {
    product: 'Lotse · Service-Konsole',
    navLabel: 'Hauptnavigation',
    skipToContent: 'Zum Inhalt springen',
    signedInAs: 'Angemeldet als',
    logout: 'Abmelden',
    nav: {
      assist: 'Auskunft',
      handoffs: 'Übernahmen',
      apply: 'Antrag aufnehmen',
      insights: 'Auswertungen',
      accounts: 'Konten',
    },
    roles: { agent: 'Service-Team', editor: 'Redaktion', admin: 'Administration' },
  },
} as const;
