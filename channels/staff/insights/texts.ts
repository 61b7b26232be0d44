/**
 * The insights page's words (German; editors work in German), including CSV column headings and
 * the names of statuses and facets, kept apart from the code that lays them out.
 */
export const INSIGHTS_TEXTS = {
  de: {
    title: 'Auswertungen',
    intro:
      'Was Bürgerinnen und Bürger gefragt haben, ohne eine sichere Antwort zu bekommen, wie Antworten bewertet wurden und wo Anträge abbrechen. Personenbezogene Angaben in Fragen sind unkenntlich gemacht.',
    period: {
      label: 'Zeitraum der Auswertung',
      option: (days: number) => `Letzte ${days} Tage`,
      submit: 'Anzeigen',
      current: (days: number, since: string) =>
        `Auswertung der letzten ${days} Tage (seit ${since}).`,
    },
    csv: (what: string) => `${what} als CSV herunterladen`,
    none: 'Im gewählten Zeitraum gibt es hierzu keine Daten.',
    unanswered: {
      heading: 'Unbeantwortete Fragen',
      explain:
        'Fragen ohne Antwort oder mit unsicherer Antwort, zusammengefasst nach ihren Themenwörtern. Die häufigsten zuerst.',
      caption: 'Unbeantwortete und unsichere Fragen nach Thema',
      example: 'Beispiel (letzte Formulierung)',
      count: 'Anzahl',
      abstained: 'Ohne Antwort',
      lowConfidence: 'Unsicher beantwortet',
      service: 'Nächstliegende Leistung',
      lastAsked: 'Zuletzt gefragt',
      noService: '–',
      csvName: 'Unbeantwortete Fragen',
      groupKey: 'Themenwörter',
    },
    feedback: {
      heading: 'Rückmeldungen',
      explain:
        'Daumen hoch und runter zu Antworten, je Leistung und Thema. Die meisten negativen zuerst.',
      caption: 'Rückmeldungen je Leistung und Thema',
      chartTitle: (shown: number) =>
        `Rückmeldungen: die ${shown} Einträge mit den meisten negativen Bewertungen, positiv und negativ`,
      service: 'Leistung',
      facet: 'Thema der Antwort',
      up: 'Hilfreich',
      down: 'Nicht hilfreich',
      share: 'Anteil nicht hilfreich',
      serviceId: 'Leistungs-ID',
      noService: 'ohne Leistung',
      csvName: 'Rückmeldungen',
    },
    funnels: {
      heading: 'Antragsstrecken',
      explain:
        'Wie viele Anträge Bürgerinnen und Bürger begonnen haben, wie viele jeden Schritt beantwortet haben, und wie viele abgeschlossen oder abgebrochen wurden. Prozent bezogen auf die begonnenen. Anträge, die Mitarbeitende für Anrufende aufnehmen, sind nicht mitgezählt.',
      caption: (flow: string) => `Verlauf der Antragsstrecke „${flow}“`,
      chartTitle: (flow: string, started: number, completed: number) =>
        `Antragsstrecke ${flow}: ${started} begonnen, ${completed} abgeschlossen`,
      flow: 'Antrag',
      stage: 'Schritt',
      runs: 'Anzahl',
      percent: 'Anteil der begonnenen',
      started: 'Begonnen',
      completed: 'Abgeschlossen',
      abandoned: 'Abgebrochen',
      step: (label: string) => `Schritt: ${label}`,
      csvName: 'Antragsstrecken',
      kind: 'Art',
      kinds: {
        started: 'begonnen',
        step: 'Schritt',
        completed: 'abgeschlossen',
        abandoned: 'abgebrochen',
      },
    },
    outbox: {
      heading: 'Übermittlung',
      explain:
        'Stand aller Anträge in der Übermittlung an die Fachverfahren, unabhängig vom Zeitraum. Unzustellbare Anträge bleiben erhalten, bis sie erneut gesendet werden.',
      caption: 'Anträge je Übermittlungsstand',
      chartTitle: (total: number) => `Übermittlung: ${total} Anträge nach Stand`,
      status: 'Stand',
      count: 'Anzahl',
      statuses: {
        pending: 'Ausstehend',
        delivered: 'Zugestellt',
        rejected: 'Abgelehnt',
        dead: 'Unzustellbar',
      },
    },
    deadLetters: {
      heading: 'Unzustellbare Anträge',
      caption: 'Unzustellbare Anträge, die neuesten zuerst',
      receipt: 'Vorgangsnummer',
      flow: 'Antrag',
      connector: 'Schnittstelle',
      attempts: 'Versuche',
      lastError: 'Letzter Fehler',
      createdAt: 'Angelegt',
      action: 'Aktion',
      retry: 'Erneut senden',
      retryTarget: (receipt: string) => `Antrag ${receipt}`,
      none: 'Keine unzustellbaren Anträge.',
      more: (shown: number) =>
        `Es werden die neuesten ${shown} angezeigt; die CSV-Datei enthält alle.`,
      csvName: 'Unzustellbare Anträge',
      requeued: (receipt: string) => `Antrag ${receipt} wird erneut gesendet.`,
      notRequeued:
        'Der Antrag konnte nicht erneut gesendet werden: Er ist nicht (mehr) unzustellbar.',
    },
    facets: {
      fees: 'Gebühren',
      documents: 'Unterlagen',
      locations: 'Ort und Kontakt',
      online: 'Online und Termin',
      duration: 'Dauer',
      general: 'Allgemein',
    } as Readonly<Record<string, string>>,
    noFacet: 'ohne Thema',
  },
} as const;

/** The German texts, the only language of the console. */
export const T = INSIGHTS_TEXTS.de;
