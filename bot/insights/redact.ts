/**
 * Masks personal data in text that the insights keep: the questions Lotse could not answer (for
 * editors) and the delivery errors of dead submissions (for the console). Citizens type their
 * e-mail address, phone number, IBAN, tax id or street address into a question surprisingly
 * often; none of that may reach the editors' list or a CSV export.
 *
 * The rules, applied in this order (each sees the output of the previous one):
 *
 * | what                                  | becomes          | example                            |
 * | ------------------------------------- | ---------------- | ---------------------------------- |
 * | web address                           | its host only    | `https://x.de/a?id=7` → `[Link: x.de]` |
 * | e-mail address                        | `[E-Mail]`       | `anna@example.org`                 |
 * | IBAN (country, check digits, ≥10 digits) | `[IBAN]`      | `DE89 3704 0044 0532 0130 00`      |
 * | date (`12.3.`, `12.03.1980`, ISO)     | `[Datum]`        | `geboren am 1.2.1980`              |
 * | phone number (`+…` or `0…`, ≥6 digits) | `[Telefon]`     | `0171 / 123 45 67`                 |
 * | house number after a street name      | `#`              | `Hauptstraße 5a` → `Hauptstraße #` |
 * | any other run of ≥3 digits            | `#`              | tax id, postcode, case number      |
 *
 * Not caught: names and other free-text personal details ("ich heiße …") — no pattern tells
 * them from topic words. That is why the insights store no user or conversation id alongside,
 * and why keeping questions at all can be switched off (`LOTSE_INSIGHTS_QUESTIONS=false`).
 */

/** Questions are kept at most this long (characters), after masking. */
export const MAX_QUESTION_LENGTH = 300;

/** Error texts shown to staff are kept at most this long (characters), after masking. */
export const MAX_DIAGNOSTIC_LENGTH = 200;

/** The placeholders masking leaves behind; the group key leaves them out. */
export const PLACEHOLDERS = {
  email: '[E-Mail]',
  iban: '[IBAN]',
  date: '[Datum]',
  phone: '[Telefon]',
  number: '#',
} as const;

const URL = /\b(?:https?:\/\/|www\.)([^\s/?#<>"']+)[^\s<>"']*/giu;
/** The local part allows every character RFC 5322 does ("a!b@x.de" is a valid address). */
const EMAIL = /[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
/**
 * Country code, check digits, then the account part (digits and capitals) written in one piece
 * or in groups of four; only taken as an IBAN with at least ten digits.
 */
const IBAN =
  /\b[A-Za-z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?)(?![A-Za-z0-9])/g;
const DATE = /\b\d{1,2}\.\s?\d{1,2}\.(?:\s?\d{4}\b|\s?\d{2}\b)?|\b\d{4}-\d{2}-\d{2}\b/g;
const PHONE = /(?<![\p{L}\p{N}])(?:\+\d|0)[\d /().-]{4,}\d\b/gu;
const STREET_SUFFIX =
  'stra(?:ß|ss)e|str\\.|weg|platz|allee|gasse|ring|damm|ufer|chaussee|steig|pfad';
/**
 * A street name and its house number ("Hauptstraße 5", "Lange Gasse 12 b", "Am Ring 3"); the
 * street stays (editors may need it: a defect in a street), the number goes.
 */
const ADDRESS = new RegExp(
  `([\\p{L}-]*(?:${STREET_SUFFIX}))\\s*\\d{1,4}(?:\\s?[a-zA-Z](?![\\p{L}\\p{N}]))?`,
  'giu',
);
const DIGIT_RUN = /\d{3,}/g;
/** Long digit runs in diagnostics: account, phone and tax numbers; keeps status codes and ports. */
const LONG_DIGIT_RUN = /\d{6,}/g;

function digitCount(text: string): number {
  return text.replace(/\D/g, '').length;
}

function maskUrls(text: string): string {
  return text.replace(URL, (_match, host: string) => `[Link: ${host.replace(/^www\./i, '')}]`);
}

function maskCommon(text: string): string {
  return maskUrls(text)
    .replace(EMAIL, PLACEHOLDERS.email)
    .replace(IBAN, (match) => (digitCount(match) >= 10 ? PLACEHOLDERS.iban : match));
}

/** Cuts to `max` characters (not UTF-16 units), so no emoji or umlaut is split in half. */
function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function tidy(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * A citizen's question with personal data masked (see the table above), whitespace collapsed,
 * at most `MAX_QUESTION_LENGTH` characters. Call it before a question is stored anywhere.
 */
export function redactQuestion(text: string): string {
  const masked = maskCommon(tidy(text))
    .replace(DATE, PLACEHOLDERS.date)
    .replace(PHONE, (match) => (digitCount(match) >= 6 ? PLACEHOLDERS.phone : match))
    .replace(ADDRESS, (_match, street: string) => `${street} ${PLACEHOLDERS.number}`)
    .replace(DIGIT_RUN, PLACEHOLDERS.number);
  return cut(masked, MAX_QUESTION_LENGTH);
}

/**
 * A backend's error text with personal data masked, for the console's dead-letter list: web
 * addresses keep their host, e-mail addresses and IBANs are masked, digit runs of six or more
 * (phone, account, tax numbers) become `#`; short numbers stay, since "HTTP 503" or a port
 * tells staff what went wrong. At most `MAX_DIAGNOSTIC_LENGTH` characters.
 */
export function redactDiagnostic(text: string): string {
  return cut(
    maskCommon(tidy(text)).replace(LONG_DIGIT_RUN, PLACEHOLDERS.number),
    MAX_DIAGNOSTIC_LENGTH,
  );
}
