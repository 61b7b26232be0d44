/**
 * Labels used when answers are composed from catalogue data, in German and English. Only labels
 * live here: every fact in an answer is the catalogue's own text.
 */
import type { Language } from '../analysis/language.js';

export const ANSWER_TEXTS = {
  de: {
    noFees: 'Zu den Gebühren enthält der Katalog keine Angabe.',
    noDocuments:
      'Der Katalog nennt keine Unterlagen oder Voraussetzungen; bitte prüfen Sie die Quelle.',
    noLocations: 'Der Katalog nennt keinen Standort für diese Leistung.',
    noOnline:
      'Der Katalog nennt weder einen Online-Dienst noch eine Terminbuchung für diese Leistung.',
    noDuration: 'Zur Dauer enthält der Katalog keine Angabe.',
    documents: 'Unterlagen',
    prerequisites: 'Voraussetzungen',
    forms: 'Formulare',
    onlineService: 'Online-Dienst',
    appointment: 'Termin buchen',
    appointmentMinutes: (m: number) => `Für den Termin sind etwa ${m} Minuten vorgesehen.`,
    phone: 'Telefon',
    email: 'E-Mail',
    source: 'Quelle',
  },
  en: {
    noFees: 'The catalogue has no information on fees.',
    noDocuments: 'The catalogue lists no documents or prerequisites; please check the source.',
    noLocations: 'The catalogue lists no location for this service.',
    noOnline:
      'The catalogue lists neither an online service nor appointment booking for this service.',
    noDuration: 'The catalogue has no information on how long it takes.',
    documents: 'Documents',
    prerequisites: 'Prerequisites',
    forms: 'Forms',
    onlineService: 'Online service',
    appointment: 'Book an appointment',
    appointmentMinutes: (m: number) => `Appointments for this take about ${m} minutes.`,
    phone: 'Phone',
    email: 'E-mail',
    source: 'Source',
  },
} as const satisfies Record<Language, Record<string, unknown>>;
