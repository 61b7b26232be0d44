/** The account administration's words. */
export const ADMIN_TEXTS = {
  de: {
    title: 'Konten',
    intro:
      'Konten werden auf dem Server mit „npx lotse staff add“ angelegt. Hier sehen Sie alle Konten und können ein Konto sperren; seine Sitzungen enden sofort.',
    caption: 'Konten der Service-Konsole',
    username: 'Benutzername',
    displayName: 'Anzeigename',
    role: 'Rolle',
    status: 'Status',
    action: 'Aktion',
    active: 'aktiv',
    disabled: 'gesperrt',
    disable: 'Sperren',
    self: 'eigenes Konto',
    none: 'Es gibt noch keine Konten.',
    disabledNotice: (username: string) => `Das Konto ${username} ist gesperrt.`,
    notFound: 'Dieses Konto gibt es nicht.',
    notSelf: 'Das eigene Konto kann nicht gesperrt werden.',
  },
} as const;
