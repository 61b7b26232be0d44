/** What the flow engine says in its own words, in German and English. */
import type { Texts } from './definition.js';

const t = (de: string, en: string): Texts => ({ de, en });

export const ENGINE_TEXTS = {
  started: (title: Texts) =>
    t(
      `Gern helfe ich Ihnen beim Antrag „${title.de}“. Mit „zurück“ ändern Sie die letzte Antwort, mit „abbrechen“ beenden Sie den Antrag.`,
      `Happy to help you with “${title.en}”. Say “back” to change your last answer or “cancel” to stop.`,
    ),
  invalid: t('Das habe ich nicht verstanden.', "I didn't understand that."),
  retriesExhausted: t(
    'Das hat mehrmals nicht geklappt. Sie können es anders versuchen, den Antrag abbrechen oder mit einem Menschen sprechen.',
    "That didn't work several times. You can try again differently, cancel the application or talk to a person.",
  ),
  skipped: t('Übersprungen.', 'Skipped.'),
  cannotSkip: t('Diese Angabe ist erforderlich.', 'This answer is required.'),
  nothingToGoBack: t('Das ist bereits die erste Frage.', 'This is already the first question.'),
  summary: t('Bitte prüfen Sie Ihre Angaben:', 'Please check your answers:'),
  summaryHint: t(
    'Ist alles richtig? Dann senden Sie den Antrag ab. Zum Ändern wählen Sie die Angabe.',
    'Is everything correct? Then submit the application. To change an answer, choose it.',
  ),
  submit: t('Absenden', 'Submit'),
  change: (label: Texts) => t(`${label.de} ändern`, `Change ${label.en}`),
  cancel: t('Abbrechen', 'Cancel'),
  confirmCancel: t(
    'Möchten Sie den Antrag wirklich abbrechen? Ihre Angaben werden verworfen.',
    'Do you really want to cancel the application? Your answers will be discarded.',
  ),
  yesCancel: t('Ja, abbrechen', 'Yes, cancel'),
  noContinue: t('Nein, weiter', 'No, continue'),
  cancelled: t(
    'Der Antrag wurde abgebrochen. Ihre Angaben wurden verworfen.',
    'The application was cancelled. Your answers were discarded.',
  ),
  resumed: t('Weiter mit Ihrem Antrag:', "Let's continue with your application:"),
  corrected: (label: Texts, display: string) =>
    t(`Geändert: ${label.de} ist jetzt „${display}“.`, `Changed: ${label.en} is now “${display}”.`),
  expired: t(
    'Ihr angefangener Antrag ist abgelaufen und wurde verworfen. Sie können ihn neu beginnen.',
    'Your unfinished application has expired and was discarded. You can start it again.',
  ),
  skip: t('Überspringen', 'Skip'),
  talkToHuman: t('Mitarbeiter sprechen', 'Talk to a person'),
  offerProfile: (label: Texts, display: string) =>
    t(
      `Aus Ihren gespeicherten Daten: ${label.de} „${display}“. Übernehmen?`,
      `From your saved details: ${label.en} “${display}”. Use it?`,
    ),
  useSaved: t('Übernehmen', 'Use it'),
  enterNew: t('Neu eingeben', 'Enter new'),
} as const;
