/**
 * German postal addresses typed in one line or several: "Hauptstr. 5a, 80331 München",
 * "80331 München, Hauptstraße 5", "Am Wald 12 b", "Straße des 17. Juni 135". The house number is
 * the number at the end of the street part; postcode and city are optional, because many flows
 * already know the municipality.
 */
import { parsePostcode } from './postcode.js';
import { failed, parsed, type ParseErrorCode, type ParseResult } from './result.js';
import { cleanInput } from './text.js';

/** An address split into the fields forms ask for. */
export interface Address {
  /** Street or square, "str." written out: "Hauptstraße", "Marienplatz", "Am Wald". */
  street: string;
  /** Number with letter or range, without spaces, letters lower case: "5a", "12-14", "7/1". */
  houseNumber: string;
  postcode?: string;
  city?: string;
}

/** A number with an optional letter ("5a", "12 b") and an optional range ("12-14", "7/1"). */
const NUMBER = String.raw`\d{1,4}(?: ?[a-zA-Z](?!\p{L}))?(?: ?[-/] ?\d{1,4}(?: ?[a-zA-Z](?!\p{L}))?)?`;
/** Street text ends in a letter or an abbreviation's dot, then the number. */
const STREET = String.raw`(.*\p{L}\.?) ?(${NUMBER})`;
const CITY = String.raw`(\p{L}[\p{L} .'()/-]*)`;

const PATTERNS = {
  street: new RegExp(`^${STREET}$`, 'u'),
  streetPostcodeCity: new RegExp(`^${STREET} (\\d{5}) ${CITY}$`, 'u'),
  streetCity: new RegExp(`^${STREET} ${CITY}$`, 'u'),
  postcodeCity: new RegExp(`^(\\d+) ${CITY}$`, 'u'),
  postcode: /^\d{5}$/,
  text: new RegExp(`^${CITY}$`, 'u'),
};

/** Country names people add out of habit; an address form does not need them. */
const COUNTRIES = new Set(['deutschland', 'germany', 'de', 'brd']);

/** What one comma- or line-separated part of the text contributed. */
interface Part {
  street?: string;
  houseNumber?: string;
  postcode?: string;
  city?: string;
  /** Letters only: a city, or a street someone forgot the number of. */
  text?: string;
}

/** "Hauptstr. 5" → "Hauptstraße", "Berliner Str." → "Berliner Straße". */
function expandStreet(street: string): string {
  return street
    .replace(/(^| )str(?:\.|(?= |$))/giu, '$1Straße')
    .replace(/(\p{L})str(?:\.|(?= |$))/giu, '$1straße')
    .trim();
}

function streetPart(street: string, houseNumber: string): Part | ParseErrorCode {
  if ((street.match(/\p{L}/gu) ?? []).length < 2 || /^\d/.test(street)) return 'address.format';
  return { street: expandStreet(street), houseNumber: houseNumber.replace(/ /g, '').toLowerCase() };
}

function postcodePart(postcode: string): Part | ParseErrorCode {
  return parsePostcode(postcode).ok ? { postcode } : 'address.postcode';
}

/** Reads one part of the address; the first pattern that fits wins. */
function readPart(segment: string): Part | ParseErrorCode {
  if (COUNTRIES.has(segment.toLowerCase())) return {};
  let m: RegExpExecArray | null;
  if ((m = PATTERNS.postcodeCity.exec(segment))) {
    const postcode = postcodePart(m[1]!);
    return typeof postcode === 'string' ? postcode : { ...postcode, city: m[2]! };
  }
  if (PATTERNS.postcode.test(segment)) return postcodePart(segment);
  if (PATTERNS.text.test(segment)) return { text: segment };
  if ((m = PATTERNS.street.exec(segment))) return streetPart(m[1]!, m[2]!);
  if ((m = PATTERNS.streetPostcodeCity.exec(segment))) {
    const street = streetPart(m[1]!, m[2]!);
    if (typeof street === 'string') return street;
    const postcode = postcodePart(m[3]!);
    return typeof postcode === 'string' ? postcode : { ...street, ...postcode, city: m[4]! };
  }
  if ((m = PATTERNS.streetCity.exec(segment))) {
    const street = streetPart(m[1]!, m[2]!);
    return typeof street === 'string' ? street : { ...street, city: m[3]! };
  }
  // Ends in a word, but has digits inside: a street without its number ("Straße des 17. Juni").
  return /\p{L}{2}\.?$/u.test(segment) ? { text: segment } : 'address.format';
}

/** The summary line: "Hauptstraße 5a, 80331 München". */
export function formatAddress(address: Address): string {
  const place = [address.postcode, address.city].filter(Boolean).join(' ');
  return `${address.street} ${address.houseNumber}${place ? `, ${place}` : ''}`;
}

/**
 * Parses an address from parts separated by commas, semicolons or line breaks, in either order
 * (street first or postcode and city first). Errors: 'address.no-number' when a street or place
 * is named without a house number (the most common omission), 'address.postcode' for a postcode
 * that is not a German one, 'address.format' for anything else, including two streets, a missing
 * street ("80331 München") and extra parts beyond street, postcode and city.
 */
export function parseAddress(text: string): ParseResult<Address> {
  const segments = text
    .normalize('NFKC')
    .split(/[,;\n\r]+/)
    .map(cleanInput)
    .filter((s) => s.length > 0);
  if (segments.length === 0) return failed('empty');
  const parts: Part[] = [];
  for (const segment of segments) {
    const part = readPart(segment);
    if (typeof part === 'string') return failed(part);
    parts.push(part);
  }
  const streets = parts.filter((p) => p.street !== undefined);
  const texts = parts.filter((p) => p.text !== undefined);
  if (streets.length === 0) {
    return failed(texts.length > 0 ? 'address.no-number' : 'address.format');
  }
  const postcodes = parts.filter((p) => p.postcode !== undefined);
  const cities = parts.filter((p) => p.city !== undefined);
  if (texts.length > 0 && cities.length === 0) cities.push({ city: texts.shift()!.text! });
  if (streets.length > 1 || postcodes.length > 1 || cities.length > 1 || texts.length > 0) {
    return failed('address.format');
  }
  const address: Address = { street: streets[0]!.street!, houseNumber: streets[0]!.houseNumber! };
  if (postcodes[0]) address.postcode = postcodes[0].postcode!;
  if (cities[0]) address.city = cities[0].city!;
  return parsed(address, formatAddress(address));
}
