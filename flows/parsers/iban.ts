/**
 * IBANs as people copy them from cards and letters: with spaces, in lower case, with an "IBAN"
 * label. Checks the country's length and BBAN structure and the ISO 13616 mod-97 check digits,
 * which catch every single changed character and almost every swap of two.
 */
import { bbanPattern, IBAN_COUNTRIES } from './iban-countries.js';
import { failed, parsed, type ParseResult } from './result.js';
import { cleanInput } from './text.js';

/** The remainder mod 97 of an IBAN-like string with letters counted as A = 10 … Z = 35. */
function mod97(text: string): number {
  let remainder = 0;
  for (const char of text) {
    const value = parseInt(char, 36);
    remainder = value < 10 ? (remainder * 10 + value) % 97 : (remainder * 100 + value) % 97;
  }
  return remainder;
}

/**
 * The two check digits for a country and BBAN (upper case). Exported for tests and for
 * generating example IBANs; parsing never needs it.
 */
export function ibanCheckDigits(country: string, bban: string): string {
  const check = 98 - mod97(`${bban}${country}00`);
  return String(check).padStart(2, '0');
}

/** An electronic-form IBAN in groups of four, as printed on cards and statements. */
export function formatIban(iban: string): string {
  return iban.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Parses an IBAN. The value is the electronic form ("DE89370400440532013000"), the display the
 * paper form in groups of four. Check digits 00, 01 and 99 are never issued and are rejected
 * even though mod 97 cannot tell them from 97, 98 and 02.
 */
export function parseIban(text: string): ParseResult<string> {
  const cleaned = cleanInput(text);
  if (!cleaned) return failed('empty');
  const input = cleaned
    .replace(/^iban\s*:?\s*/i, '')
    .replace(/\s/g, '')
    .toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]+$/.test(input)) return failed('iban.format');
  const country = IBAN_COUNTRIES.get(input.slice(0, 2));
  if (!country) return failed('iban.country');
  if (input.length !== country.length) return failed('iban.length');
  if (country.bban && !bbanPattern(country.bban).test(input.slice(4))) return failed('iban.format');
  const checkDigits = Number(input.slice(2, 4));
  if (checkDigits < 2 || checkDigits > 98) return failed('iban.checksum');
  if (mod97(input.slice(4) + input.slice(0, 4)) !== 1) return failed('iban.checksum');
  return parsed(input, formatIban(input));
}
