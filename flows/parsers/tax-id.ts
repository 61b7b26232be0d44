/**
 * The German Steuer-Identifikationsnummer (IdNr, § 139b AO): eleven digits, the last a check
 * digit by ISO 7064 MOD 11,10. The Federal Central Tax Office (BZSt) also constrains the first ten
 * digits, so a typo that keeps the check digit right is still often caught.
 */
import { failed, parsed, type ParseResult } from './result.js';
import { cleanInput } from './text.js';

/**
 * The check digit for the first ten digits (ISO 7064 MOD 11,10): a running product starting at
 * 10; for each digit, (digit + product) mod 10 with 0 read as 10, doubled, mod 11. The check
 * digit is 11 minus the last product, with 10 written as 0.
 */
export function taxIdCheckDigit(firstTen: string): number {
  let product = 10;
  for (const char of firstTen) {
    const sum = (Number(char) + product) % 10 || 10;
    product = (sum * 2) % 11;
  }
  const check = 11 - product;
  return check === 10 ? 0 : check;
}

/**
 * The BZSt rule for the first ten digits, in the form valid since 2016: exactly one digit occurs
 * twice or three times, every other digit at most once (so one or two digits are missing), and a
 * digit occurring three times must not fill three adjacent positions.
 */
export function hasValidTaxIdDigits(firstTen: string): boolean {
  const counts = new Map<string, number>();
  for (const char of firstTen) counts.set(char, (counts.get(char) ?? 0) + 1);
  const repeated = [...counts.values()].filter((n) => n > 1);
  if (repeated.length !== 1 || repeated[0]! > 3) return false;
  return !/(\d)\1\1/.test(firstTen);
}

/** The IdNr as printed in the BZSt letter: "12 345 678 901". */
export function formatTaxId(taxId: string): string {
  return taxId.replace(/^(\d{2})(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3 $4');
}

/**
 * Parses a Steuer-ID; spaces and a label ("IdNr", "Steuer-ID:") are allowed. The value is the
 * eleven digits. Errors, in the order checked: 'tax-id.format' (not only digits), 'tax-id.length',
 * 'tax-id.leading-zero', 'tax-id.digits' (digit-frequency rule), 'tax-id.checksum'.
 */
export function parseTaxId(text: string): ParseResult<string> {
  const cleaned = cleanInput(text);
  if (!cleaned) return failed('empty');
  const input = cleaned
    .replace(/^(?:steuer-?id(?:entifikationsnummer)?|id-?nr\.?|tin)\s*:?\s*/i, '')
    .replace(/\s/g, '');
  if (!/^\d+$/.test(input)) return failed('tax-id.format');
  if (input.length !== 11) return failed('tax-id.length');
  if (input.startsWith('0')) return failed('tax-id.leading-zero');
  const firstTen = input.slice(0, 10);
  if (!hasValidTaxIdDigits(firstTen)) return failed('tax-id.digits');
  if (taxIdCheckDigit(firstTen) !== Number(input[10])) return failed('tax-id.checksum');
  return parsed(input, formatTaxId(input));
}
