/**
 * German vehicle registration plates (FZV): a district code of one to three letters (umlauts
 * allowed: "MÜ", "TÖL"), one or two letters without umlauts, a number 1–9999 and optionally "E"
 * (electric) or "H" (historic). At most eight characters without separators, the suffix
 * included, because that is what fits on a standard 520 mm plate.
 */
import { failed, parsed, type ParseResult } from './result.js';
import { cleanInput } from './text.js';

/** A plate split into its parts, all upper case. */
export interface LicencePlate {
  /** Unterscheidungszeichen: the registration district, e.g. "M", "HH", "TÖL". */
  district: string;
  /** The one or two letters of the Erkennungsnummer. */
  letters: string;
  /** The number, 1–9999, without leading zeros. */
  digits: string;
  /** "E" for electric vehicles, "H" for historic ones. */
  suffix?: 'E' | 'H';
}

/** Most characters on a plate, separators not counted. */
export const MAX_PLATE_CHARACTERS = 8;

/**
 * District and letters must be separated (by "-" or a space): "MAB 1234" could be "M-AB" or
 * "MA-B". Between letters and number the separator is optional.
 */
const PLATE = /^([A-ZÄÖÜ]{1,3})(?: ?- ?| )([A-Z]{1,2})(?: ?- ?| )?(\d{1,4}) ?([EH])?$/;

/** The usual written form: "M-AB 1234", "B-XY 12E". */
export function formatLicencePlate(plate: LicencePlate): string {
  return `${plate.district}-${plate.letters} ${plate.digits}${plate.suffix ?? ''}`;
}

/**
 * Parses a plate in any case with "-" or spaces as separators. Fails with 'plate.format' when the
 * parts do not fit (leading zero, umlaut after the district, missing separator) and 'plate.length'
 * when the parts fit but exceed eight characters.
 */
export function parseLicencePlate(text: string): ParseResult<LicencePlate> {
  const input = cleanInput(text).toLocaleUpperCase('de-DE');
  if (!input) return failed('empty');
  const match = PLATE.exec(input);
  if (!match || match[3]!.startsWith('0')) return failed('plate.format');
  const plate: LicencePlate = { district: match[1]!, letters: match[2]!, digits: match[3]! };
  if (match[4] === 'E' || match[4] === 'H') plate.suffix = match[4];
  const length = formatLicencePlate(plate).replace(/[- ]/g, '').length;
  if (length > MAX_PLATE_CHARACTERS) return failed('plate.length');
  return parsed(plate, formatLicencePlate(plate));
}
