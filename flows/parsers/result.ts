/**
 * The one result shape every free-text parser returns. Parsers never throw on user input and never
 * produce user-facing sentences: they return a stable code, and the flow engine turns it into a
 * German or English message (see `texts.ts`), so wording can change without touching parsing.
 */

/** Every error code a parser can return, stable across releases (engines and tests key on them). */
export const PARSE_ERROR_CODES = [
  'empty',
  'date.format',
  'date.invalid',
  'date.out-of-range',
  'date.weekday-mismatch',
  'iban.format',
  'iban.country',
  'iban.length',
  'iban.checksum',
  'tax-id.format',
  'tax-id.length',
  'tax-id.leading-zero',
  'tax-id.digits',
  'tax-id.checksum',
  'postcode.format',
  'postcode.range',
  'plate.format',
  'plate.length',
  'email.no-at',
  'email.no-domain',
  'email.format',
  'phone.format',
  'phone.no-area-code',
  'phone.length',
  'yes-no.unknown',
  'address.no-number',
  'address.postcode',
  'address.format',
  'geo.format',
  'geo.range',
] as const;

/** A stable, machine-readable reason why a text could not be parsed. */
export type ParseErrorCode = (typeof PARSE_ERROR_CODES)[number];

/**
 * What a parser returns: the parsed value plus a normalised form for the summary the citizen
 * confirms, or an error code. A discriminated union, so callers cannot read a value that is not
 * there.
 */
export type ParseResult<T> =
  { ok: true; value: T; display: string } | { ok: false; error: ParseErrorCode };

/** A parser of free text; options are bound by the flow definition beforehand. */
export type Parser<T> = (text: string) => ParseResult<T>;

/** A successful result; `display` is what the summary shows for the value. */
export function parsed<T>(value: T, display: string): ParseResult<T> {
  return { ok: true, value, display };
}

/** A failed result with its stable code. */
export function failed<T = never>(error: ParseErrorCode): ParseResult<T> {
  return { ok: false, error };
}
