import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RECEIPT_ALPHABET,
  checkCharacter,
  createReceipt,
  isValidReceipt,
  normaliseReceipt,
} from '../../../flows/outbox/receipt.js';

const now = new Date('2026-05-04T10:00:00Z');
const receipts = fc.array(fc.nat({ max: 31 }), { minLength: 7, maxLength: 7 }).map((draws) => {
  let i = 0;
  return createReceipt(now, { randomInt: () => draws[i++] ?? 0 });
});

/** The receipt's 12 checked characters (year and code), without prefix and dashes. */
function digitsOf(receipt: string): string {
  return receipt.slice(3).replace(/-/g, '');
}
function withDigits(digits: string): string {
  return `LT-${digits.slice(0, 4)}-${digits.slice(4, 8)}-${digits.slice(8)}`;
}

describe('receipt numbers', () => {
  it('look like LT-2026-7K3F-9Q2M: prefix, year, two groups of four base32 characters', () => {
    const receipt = createReceipt(now);
    expect(receipt).toMatch(/^LT-2026-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(isValidReceipt(receipt)).toBe(true);
  });

  it('take the year of the office (Europe/Berlin), not of UTC, at New Year', () => {
    expect(createReceipt(new Date('2026-12-31T23:30:00Z'))).toMatch(/^LT-2027-/);
    expect(createReceipt(new Date('2026-12-31T23:30:00Z'), { timeZone: 'UTC' })).toMatch(
      /^LT-2026-/,
    );
  });

  it('never contain the ambiguous letters I, L, O or U in the code', () => {
    fc.assert(
      fc.property(receipts, (receipt) => {
        expect(receipt.slice(8)).not.toMatch(/[ILOU]/);
      }),
    );
  });

  it('differ across ten thousand draws', () => {
    const drawn = new Set(Array.from({ length: 10_000 }, () => createReceipt(now)));
    expect(drawn.size).toBe(10_000);
  });

  it('are recognised however a person types them', () => {
    const receipt = createReceipt(now);
    const sloppy = receipt.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    expect(normaliseReceipt(sloppy)).toBe(receipt);
    expect(normaliseReceipt(receipt.replace(/-/g, ''))).toBe(receipt);
  });

  it('detect every single wrong character', () => {
    fc.assert(
      fc.property(receipts, fc.nat({ max: 11 }), fc.nat({ max: 30 }), (receipt, at, shift) => {
        const digits = digitsOf(receipt);
        const original = RECEIPT_ALPHABET.indexOf(digits[at]!);
        const wrong = RECEIPT_ALPHABET[(original + 1 + shift) % 32]!;
        const typo = withDigits(digits.slice(0, at) + wrong + digits.slice(at + 1));
        // A wrong year digit may not be a digit any more; either way it must not validate.
        expect(isValidReceipt(typo)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('detect every swap of two neighbouring characters except 0 and Z', () => {
    fc.assert(
      fc.property(receipts, fc.nat({ max: 10 }), (receipt, at) => {
        const digits = digitsOf(receipt);
        const [a, b] = [digits[at]!, digits[at + 1]!];
        fc.pre(a !== b && !(new Set([a, b]).has('0') && new Set([a, b]).has('Z')));
        const swapped = withDigits(digits.slice(0, at) + b + a + digits.slice(at + 2));
        expect(isValidReceipt(swapped)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('reject text that is not a receipt', () => {
    for (const text of [
      '',
      'LT-2026',
      'XX-2026-7K3F-9Q2M',
      'LT-2026-7K3F-9Q2U',
      'LT-20A6-7K3F-9Q2M',
    ]) {
      expect(normaliseReceipt(text)).toBeUndefined();
    }
  });

  it('compute the check character so that the whole number sums to a multiple of 32', () => {
    expect(checkCharacter('0000000000')).toBe('0');
    expect(() => checkCharacter('2026-')).toThrow(/no base32 digit/);
  });
});
