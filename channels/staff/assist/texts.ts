/**
 * The words of the agent-assist pages (German; staff work in German). Only labels and hints live
 * here: every fact on an answer card is the catalogue's own text.
 */
export const ASSIST_TEXTS = {
  de: {
    searchTitle: 'Auskunft',
    searchLabel: 'Anliegen des Anrufers',
    searchHint:
      'In eigenen Worten, wie der Anrufer es sagt – zum Beispiel „Was kostet ein Personalausweis?“.',
    searchButton: 'Suchen',
    queryTooLong: (max: number) =>
      `Die Suche ist zu lang. Bitte fassen Sie das Anliegen in höchstens ${max} Zeichen.`,
    resultsHeading: (query: string) => `Ergebnis für „${query}“`,
    closeCall:
      'Mehrere Leistungen passen ähnlich gut. Bitte klären Sie mit dem Anrufer, welche gemeint ist.',
    abstained:
      'Dazu hat der Katalog keine sichere Antwort. Bitte geben Sie keine Auskunft aus dem Gedächtnis, sondern fragen Sie nach oder verweisen Sie an die zuständige Stelle.',
    candidatesHeading: 'Nahe Leistungen zum Nachsehen',
    moreHeading: 'Weitere Treffer',
    noCandidates: 'Der Katalog enthält keine Leistung, die dazu passt.',
    confidence: 'Treffersicherheit',
    confidenceLevels: { high: 'hoch', medium: 'mittel', low: 'gering' },
    askedFact: 'gefragt',
    missing: 'Im Katalog keine Angabe',
    copy: 'Kopieren',
    copyAll: 'Alles kopieren',
    copied: 'Kopiert',
    copyFailed: 'Kopieren nicht möglich. Der Text ist markiert – bitte mit Strg+C kopieren.',
    facts: {
      fees: 'Gebühren',
      documents: 'Unterlagen',
      locations: 'Wo',
      online: 'Online',
      appointment: 'Termin',
      duration: 'Dauer',
      source: 'Quelle',
    },
    documentsList: 'Unterlagen',
    prerequisitesList: 'Voraussetzungen',
    responsible: 'Zuständig',
    phone: 'Telefon',
    email: 'E-Mail',
    website: 'Website',
    onlineService: 'Online-Dienst',
    appointmentBooking: 'Termin buchen',
    appointmentAt: (location: string) => `Termin: ${location}`,
    appointmentMinutes: (minutes: number) => `Termin etwa ${minutes} Minuten`,
    moreItems: (count: number) => `${count} weitere anzeigen`,
    publisher: 'Herausgeber',
    licence: 'Lizenz',
    lastUpdate: 'Stand',
    applyForCaller: (flow: string) => `Antrag für Anrufer aufnehmen: ${flow}`,
    serviceNotFound: 'Diese Leistung gibt es im Katalog nicht.',
    backToSearch: 'Zur Auskunft',
    applyTitle: 'Antrag aufnehmen',
    applyIntro:
      'Hier nehmen Sie einen Antrag für eine anrufende Person auf. Sie führen den Dialog wie ein Bürger im Chat; der Antrag wird wie jeder andere eingereicht.',
    applyChoose: 'Welchen Antrag möchten Sie aufnehmen?',
    applyFlowService: 'Leistung im Katalog',
    applyStart: (flow: string) => `${flow} aufnehmen`,
    applyUnknownFlow: 'Diesen Antrag gibt es nicht. Bitte wählen Sie einen aus der Liste.',
    applyForTitle: (flow: string) => `Antrag aufnehmen: ${flow}`,
    applyNotice: (user: string) =>
      `Sie nehmen diesen Antrag für einen Anrufer auf. Er wird als „von Mitarbeitenden erfasst“ gekennzeichnet (erfasst von ${user}).`,
    applyProfileNotice:
      'Gespeicherte Angaben aus früheren Anträgen werden hier nicht angeboten. Fragen Sie jede Angabe beim Anrufer ab.',
    applyChatHeading: 'Antragsdialog',
    applyNoScript:
      'Die Antragsaufnahme braucht JavaScript. Bitte aktivieren Sie JavaScript in Ihrem Browser.',
    applyOtherFlow: 'Anderen Antrag wählen',
    applyRestart: 'Neuen Antrag beginnen',
    applyConnecting: 'Verbindung wird hergestellt …',
    applyStarted: (flow: string) => `Antrag „${flow}“ gestartet.`,
    applyFailed:
      'Der Antragsdialog ist gerade nicht erreichbar. Bitte laden Sie die Seite neu oder versuchen Sie es später.',
    applyStartMessage: (flow: string) => `Antrag starten: ${flow}`,
    applyPlaceholder: 'Antwort des Anrufers',
  },
} as const;

/** The German assist texts (the console's only language). */
export type AssistTexts = (typeof ASSIST_TEXTS)['de'];
