/**
 * German postcodes (Postleitzahlen): five digits from 01001 to 99998. Codes starting with 00
 * were never assigned, so "00123" is a typo, not a place.
 */
import { failed, parsed, type ParseResult } from './result.js';
import { cleanInput } from './text.js';

/** Lowest and highest postcode accepted. */
export const POSTCODE_RANGE = { min: 1001, max: 99998 } as const;

/**
 * Parses a postcode; the old "D-80331" and "DE-80331" prefixes are accepted. The value and the
 * display are the five digits.
 */
export function parsePostcode(text: string): ParseResult<string> {
  const cleaned = cleanInput(text);
  if (!cleaned) return failed('empty');
  const input = cleaned.replace(/^(?:plz\s*:?\s*)?(?:de?\s?-\s?|de?\s)?/i, '');
  if (!/^\d{5}$/.test(input)) return failed('postcode.format');
  const n = Number(input);
  if (n < POSTCODE_RANGE.min || n > POSTCODE_RANGE.max) return failed('postcode.range');
  return parsed(input, input);
}
