/**
 * Receipt numbers ("Vorgangsnummer") such as `LT-2026-7K3F-9Q2M`: short enough to read out on
 * the 115 hotline, in Crockford's base32 alphabet (no I, L, O or U, so nothing looks or sounds
 * like something else), and ending in a check character so a mistyped or misheard number is
 * recognised as such instead of finding someone else's case.
 *
 * Layout: `LT-<year>-<4 random>-<3 random><check>`. 35 random bits (34 billion numbers per year)
 * make collisions rare; the outbox's UNIQUE constraint makes them impossible (it draws again).
 * The check character is Luhn mod 32 over year and random characters: it detects every single
 * wrong character and every swap of two neighbours except 0↔Z (see the tests).
 */
import { randomInt } from 'node:crypto';

/** Crockford's base32 digits, in value order. */
export const RECEIPT_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const PREFIX = 'LT';
const RANDOM_LENGTH = 7;
const BASE = RECEIPT_ALPHABET.length;

/** Look-alikes a person may type for Crockford digits; Crockford decodes them the same way. */
const LOOKALIKES: Record<string, string> = { O: '0', I: '1', L: '1' };

export interface ReceiptOptions {
  /** The calendar of the year part; default Europe/Berlin, so New Year is the office's. */
  timeZone?: string;
  /** Draws an integer in [0, max); default crypto's `randomInt`. Tests pass a seeded one. */
  randomInt?: (max: number) => number;
}

/** A new receipt number for a submission created at `now`. */
export function createReceipt(now: Date, options: ReceiptOptions = {}): string {
  const draw = options.randomInt ?? ((max: number) => randomInt(max));
  const year = yearIn(now, options.timeZone ?? 'Europe/Berlin');
  let random = '';
  for (let i = 0; i < RANDOM_LENGTH; i += 1) random += RECEIPT_ALPHABET[draw(BASE)];
  return format(year, random + checkCharacter(year + random));
}

/**
 * The canonical form of a receipt as a person typed or dictated it (any case, spaces or dashes
 * anywhere, O for 0, I or L for 1), or `undefined` when it is not a well-formed receipt or its
 * check character does not match.
 */
export function normaliseReceipt(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s\-–]/g, '');
  if (!compact.startsWith(PREFIX)) return undefined;
  const body = [...compact.slice(PREFIX.length)].map((c) => LOOKALIKES[c] ?? c).join('');
  const match = /^(\d{4})([0-9A-Z]{8})$/.exec(body);
  if (!match) return undefined;
  const [, year, code] = match as unknown as [string, string, string];
  if ([...code].some((c) => !RECEIPT_ALPHABET.includes(c))) return undefined;
  if (checkCharacter(year + code.slice(0, -1)) !== code.slice(-1)) return undefined;
  return format(year, code);
}

/** True when `input` is a receipt with a matching check character (in any typed form). */
export function isValidReceipt(input: string): boolean {
  return normaliseReceipt(input) !== undefined;
}

/**
 * Luhn mod N over base-32 digits: from the right, every second digit is doubled and its two
 * base-32 digits summed; the check digit tops the sum up to a multiple of 32.
 */
export function checkCharacter(digits: string): string {
  let sum = 0;
  let double = true;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    const value = RECEIPT_ALPHABET.indexOf(digits[i] ?? '');
    if (value < 0) throw new RangeError(`receipt: ${JSON.stringify(digits[i])} is no base32 digit`);
    const addend = double ? value * 2 : value;
    sum += Math.floor(addend / BASE) + (addend % BASE);
    double = !double;
  }
  return RECEIPT_ALPHABET[(BASE - (sum % BASE)) % BASE] as string;
}

function format(year: string, code: string): string {
  return `${PREFIX}-${year}-${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Formatters are slow to build (≈ 0.2 ms); one per time zone is kept. */
const yearFormats = new Map<string, Intl.DateTimeFormat>();

function yearIn(now: Date, timeZone: string): string {
  let format = yearFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' });
    yearFormats.set(timeZone, format);
  }
  return format.format(now).padStart(4, '0').slice(-4);
}
