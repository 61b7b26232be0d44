/**
 * Telephone numbers in the forms Germans write them ("089/1234567", "0171 1234567",
 * "+49 (0)89 1234567", "0049 89 1234567") normalised to E.164 ("+49891234567"), so that staff
 * can call back and numbers compare equal however they were typed.
 */
import { failed, parsed, type ParseResult } from './result.js';
import { cleanInput } from './text.js';

/** How numbers without a country code are read. */
export interface PhoneParseOptions {
  /**
   * Country calling code for numbers written nationally with a leading trunk "0". Default: '49'
   * (Germany). National numbers are read by the German convention of dropping that "0".
   */
  defaultCallingCode?: string;
}

/** E.164 allows at most 15 digits after the "+". */
const MAX_DIGITS = 15;
/** Shortest complete numbers (small Pacific islands have 7 digits with the country code). */
const MIN_DIGITS = 7;
/** German numbers have at least six digits after the 49 (area code plus subscriber number). */
const MIN_GERMAN_NATIONAL = 6;

/** Digit groups as typed, with the international prefix and the "(0)" convention removed. */
function split(input: string): { international: boolean; groups: string[] } | undefined {
  const international = /^(?:\+|00)/.test(input);
  let body = input.replace(/^(?:\+|00)\s*/, '');
  if (international) body = body.replace(/^(\d{1,3})\s*\(0\)\s*/, '$1 ');
  if (!/^[\d\s()./-]+$/.test(body)) return undefined;
  const groups = body.split(/[\s()./-]+/).filter((g) => g.length > 0);
  return groups.length > 0 ? { international, groups } : undefined;
}

/**
 * Parses a phone number; labels like "Tel.:" or "tel:" are ignored. The value is E.164; the
 * display keeps the grouping the citizen typed, after the country code ("+49 89 1234567").
 * Errors: 'phone.format' (letters, misplaced "+"), 'phone.no-area-code' (a local number without
 * leading 0 or country code), 'phone.length'.
 */
export function parsePhone(text: string, options: PhoneParseOptions = {}): ParseResult<string> {
  const cleaned = cleanInput(text);
  if (!cleaned) return failed('empty');
  const input = cleaned.replace(
    /^(?:tel(?:efon)?\.?|phone|mobil|mobile|handy|fon|fax)\s*(?:nr\.?|number)?\s*:?\s*/i,
    '',
  );
  const parts = split(input);
  if (!parts) return failed('phone.format');
  let groups = parts.groups;
  let callingCode: string;
  if (parts.international) {
    callingCode = '';
  } else if (groups[0]!.startsWith('0')) {
    callingCode = options.defaultCallingCode ?? '49';
    groups = [groups[0]!.slice(1), ...groups.slice(1)];
  } else {
    return failed(groups.join('').length <= 8 ? 'phone.no-area-code' : 'phone.format');
  }
  let digits = callingCode + groups.join('');
  // "+49 089 …": the German trunk 0 kept after the country code by mistake.
  if (digits.startsWith('490')) {
    digits = `49${digits.slice(3)}`;
    if (groups[0] === '49' && groups[1]?.startsWith('0')) {
      groups = [groups[0], groups[1].slice(1), ...groups.slice(2)];
    }
  }
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return failed('phone.length');
  if (digits.startsWith('49') && digits.length - 2 < MIN_GERMAN_NATIONAL) {
    return failed('phone.length');
  }
  const e164 = `+${digits}`;
  const shown = [callingCode, ...groups].filter((g) => g.length > 0);
  const display = shown.length > 1 && shown[0]!.length <= 3 ? `+${shown.join(' ')}` : e164;
  return parsed(e164, display);
}
