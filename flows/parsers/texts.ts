/**
 * What citizens read when a parser rejects their input, in German and English, one entry per
 * error code. Kept out of the parsers so the wording can be reviewed in one place (and by
 * non-developers); each text says what is wrong and, where it helps, shows a valid example.
 */
import type { Language } from '../../knowledge/analysis/language.js';
import type { ParseErrorCode } from './result.js';

/** A message in every language Lotse answers in. */
export type LocalisedText = Readonly<Record<Language, string>>;

/** The message for every parse error code; the compiler rejects a missing code. */
export const PARSE_ERROR_TEXTS: Readonly<Record<ParseErrorCode, LocalisedText>> = {
  empty: {
    de: 'Ich habe keine Eingabe erhalten. Bitte geben Sie einen Wert ein.',
    en: 'I did not receive any input. Please enter a value.',
  },
  'date.format': {
    de: 'Das Datum habe ich nicht verstanden. Bitte schreiben Sie es z. B. als 12.03.2024, „12. März“ oder „morgen“.',
    en: 'I did not understand the date. Please write it like 12.03.2024, “12 March” or “tomorrow”.',
  },
  'date.invalid': {
    de: 'Dieses Datum gibt es nicht (z. B. 31.02.). Bitte prüfen Sie Tag und Monat.',
    en: 'This date does not exist (e.g. 31 February). Please check the day and month.',
  },
  'date.out-of-range': {
    de: 'Das Datum liegt außerhalb des möglichen Bereichs. Bitte prüfen Sie die Eingabe.',
    en: 'The date is outside the possible range. Please check it.',
  },
  'date.weekday-mismatch': {
    de: 'Wochentag und Datum passen nicht zusammen. Bitte prüfen Sie die Eingabe.',
    en: 'The weekday does not match the date. Please check it.',
  },
  'iban.format': {
    de: 'Das ist keine gültige IBAN. Eine IBAN beginnt mit dem Ländercode, z. B. DE89 3704 0044 0532 0130 00.',
    en: 'This is not a valid IBAN. An IBAN starts with the country code, e.g. DE89 3704 0044 0532 0130 00.',
  },
  'iban.country': {
    de: 'Die IBAN beginnt nicht mit einem bekannten Ländercode. Bitte prüfen Sie die ersten beiden Buchstaben.',
    en: 'The IBAN does not start with a known country code. Please check the first two letters.',
  },
  'iban.length': {
    de: 'Die IBAN hat nicht die richtige Länge für dieses Land (eine deutsche IBAN hat 22 Zeichen). Bitte prüfen Sie die Eingabe.',
    en: 'The IBAN does not have the right length for its country (a German IBAN has 22 characters). Please check it.',
  },
  'iban.checksum': {
    de: 'Die IBAN ist nicht gültig (Prüfziffer falsch). Bitte prüfen Sie die Eingabe.',
    en: 'This IBAN is not valid (wrong check digits). Please check it.',
  },
  'tax-id.format': {
    de: 'Die Steuer-Identifikationsnummer besteht nur aus Ziffern. Bitte geben Sie die 11 Ziffern ein.',
    en: 'The tax identification number consists of digits only. Please enter its 11 digits.',
  },
  'tax-id.length': {
    de: 'Die Steuer-Identifikationsnummer hat genau 11 Ziffern. Bitte prüfen Sie die Eingabe.',
    en: 'The tax identification number has exactly 11 digits. Please check it.',
  },
  'tax-id.leading-zero': {
    de: 'Eine Steuer-Identifikationsnummer beginnt nie mit 0. Bitte prüfen Sie die Eingabe.',
    en: 'A tax identification number never starts with 0. Please check it.',
  },
  'tax-id.digits': {
    de: 'Das ist keine gültige Steuer-Identifikationsnummer. Bitte übernehmen Sie sie aus dem Schreiben des Bundeszentralamts für Steuern oder Ihrer Lohnsteuerbescheinigung.',
    en: 'This is not a valid tax identification number. Please copy it from the letter of the Federal Central Tax Office or your payslip.',
  },
  'tax-id.checksum': {
    de: 'Die Steuer-Identifikationsnummer ist nicht gültig (Prüfziffer falsch). Bitte prüfen Sie die Eingabe.',
    en: 'This tax identification number is not valid (wrong check digit). Please check it.',
  },
  'postcode.format': {
    de: 'Eine Postleitzahl hat fünf Ziffern, z. B. 80331. Bitte prüfen Sie die Eingabe.',
    en: 'A German postcode has five digits, e.g. 80331. Please check it.',
  },
  'postcode.range': {
    de: 'Diese Postleitzahl gibt es in Deutschland nicht. Bitte prüfen Sie die Eingabe.',
    en: 'This postcode does not exist in Germany. Please check it.',
  },
  'plate.format': {
    de: 'Das Kennzeichen habe ich nicht verstanden. Bitte schreiben Sie es z. B. als M-AB 1234.',
    en: 'I did not understand the licence plate. Please write it like M-AB 1234.',
  },
  'plate.length': {
    de: 'Ein Kennzeichen hat höchstens 8 Zeichen (ohne Bindestrich und Leerzeichen). Bitte prüfen Sie die Eingabe.',
    en: 'A licence plate has at most 8 characters (not counting hyphen and spaces). Please check it.',
  },
  'email.no-at': {
    de: 'In der E-Mail-Adresse fehlt das @-Zeichen, z. B. name@example.de.',
    en: 'The email address is missing the @ sign, e.g. name@example.com.',
  },
  'email.no-domain': {
    de: 'In der E-Mail-Adresse fehlt der Teil nach dem @ (z. B. @example.de).',
    en: 'The email address is missing the part after the @ (e.g. @example.com).',
  },
  'email.format': {
    de: 'Das ist keine gültige E-Mail-Adresse. Bitte prüfen Sie die Eingabe, z. B. name@example.de.',
    en: 'This is not a valid email address. Please check it, e.g. name@example.com.',
  },
  'phone.format': {
    de: 'Die Telefonnummer habe ich nicht verstanden. Bitte schreiben Sie sie z. B. als 089 1234567 oder +49 89 1234567.',
    en: 'I did not understand the phone number. Please write it like 089 1234567 or +49 89 1234567.',
  },
  'phone.no-area-code': {
    de: 'Bitte geben Sie die Telefonnummer mit Vorwahl an, z. B. 089 1234567.',
    en: 'Please include the area code, e.g. 089 1234567.',
  },
  'phone.length': {
    de: 'Die Telefonnummer ist zu kurz oder zu lang. Bitte prüfen Sie die Eingabe.',
    en: 'The phone number is too short or too long. Please check it.',
  },
  'yes-no.unknown': {
    de: 'Bitte antworten Sie mit „Ja“ oder „Nein“.',
    en: 'Please answer “yes” or “no”.',
  },
  'address.no-number': {
    de: 'In der Adresse fehlt die Hausnummer. Bitte schreiben Sie z. B. „Hauptstraße 5, 80331 München“.',
    en: 'The address is missing the house number. Please write it like “Hauptstraße 5, 80331 München”.',
  },
  'address.postcode': {
    de: 'Die Postleitzahl in der Adresse ist nicht gültig. Eine Postleitzahl hat fünf Ziffern, z. B. 80331.',
    en: 'The postcode in the address is not valid. A German postcode has five digits, e.g. 80331.',
  },
  'address.format': {
    de: 'Die Adresse habe ich nicht verstanden. Bitte schreiben Sie sie z. B. als „Hauptstraße 5, 80331 München“.',
    en: 'I did not understand the address. Please write it like “Hauptstraße 5, 80331 München”.',
  },
  'geo.format': {
    de: 'Den Ort habe ich nicht verstanden. Bitte teilen Sie Ihren Standort oder schreiben Sie Koordinaten wie 48.137, 11.575.',
    en: 'I did not understand the location. Please share your location or write coordinates like 48.137, 11.575.',
  },
  'geo.range': {
    de: 'Diese Koordinaten gibt es nicht (Breite bis 90°, Länge bis 180°). Bitte prüfen Sie die Eingabe.',
    en: 'These coordinates do not exist (latitude up to 90°, longitude up to 180°). Please check them.',
  },
};

/** The message for an error code in a language. */
export function parseErrorText(code: ParseErrorCode, language: Language): string {
  return PARSE_ERROR_TEXTS[code][language];
}
