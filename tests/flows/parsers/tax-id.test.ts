import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasValidTaxIdDigits, parseTaxId, taxIdCheckDigit } from '../../../flows/parsers/tax-id.js';

const DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/**
 * First ten digits built by the BZSt rule: one digit two or three times, the others distinct,
 * in random order, not starting with 0, no digit three times in a row.
 */
const firstTens = fc
  .tuple(
    fc.integer({ min: 0, max: 9 }),
    fc.constantFrom(2, 3),
    fc.shuffledSubarray(DIGITS, { minLength: 10, maxLength: 10 }),
    fc.shuffledSubarray(DIGITS, { minLength: 10, maxLength: 10 }),
  )
  .map(([repeated, times, others, order]) => {
    const digits = [
      ...Array<number>(times).fill(repeated),
      ...others.filter((d) => d !== repeated).slice(0, 10 - times),
    ];
    return order.map((position) => digits[position]).join('');
  })
  .filter((ten) => !ten.startsWith('0') && !/(\d)\1\1/.test(ten));

const taxIds = firstTens.map((ten) => `${ten}${taxIdCheckDigit(ten)}`);

describe('parseTaxId', () => {
  it.each([
    ['86095742719', '86 095 742 719'],
    ['47036892816', '47 036 892 816'],
    ['65929970489', '65 929 970 489'],
    ['57549285017', '57 549 285 017'],
    ['25768131411', '25 768 131 411'],
    ['12345678995', '12 345 678 995'],
  ])('accepts the valid Steuer-ID %s and shows it as %s', (text, display) => {
    expect(parseTaxId(text)).toEqual({ ok: true, value: text, display });
  });

  it('accepts spaces and a label in front', () => {
    for (const text of ['86 095 742 719', 'IdNr: 86095742719', 'Steuer-ID 86095742719']) {
      expect(parseTaxId(text)).toMatchObject({ ok: true, value: '86095742719' });
    }
  });

  it.each([
    ['86095742718', 'tax-id.checksum'],
    ['8609574271', 'tax-id.length'],
    ['860957427190', 'tax-id.length'],
    ['06095742719', 'tax-id.leading-zero'],
    ['8609574271X', 'tax-id.format'],
    ['86-095-742-719', 'tax-id.format'],
    ['12345678901', 'tax-id.digits'],
    ['98765432100', 'tax-id.digits'],
    ['11223456789', 'tax-id.digits'],
    ['11123456789', 'tax-id.digits'],
    ['11112345678', 'tax-id.digits'],
    ['', 'empty'],
  ])('rejects %j with %s', (text, code) => {
    expect(parseTaxId(text)).toEqual({ ok: false, error: code });
  });

  it('applies the 2016 digit rule: one digit twice or three times, but not three in a row', () => {
    expect(hasValidTaxIdDigits('1234567899')).toBe(true);
    expect(hasValidTaxIdDigits('1213456789')).toBe(true);
    expect(hasValidTaxIdDigits('1213415678')).toBe(true);
    expect(hasValidTaxIdDigits('1113456789')).toBe(false);
    expect(hasValidTaxIdDigits('1234567890')).toBe(false);
    expect(hasValidTaxIdDigits('1122345678')).toBe(false);
    expect(hasValidTaxIdDigits('1213141567')).toBe(false);
  });

  it('computes the ISO 7064 MOD 11,10 check digit, writing 10 as 0', () => {
    expect(taxIdCheckDigit('8609574271')).toBe(9);
    expect(taxIdCheckDigit('1234567899')).toBe(5);
    const ten = [...Array(10_000).keys()]
      .map((i) => `${1023456789 + i * 7919}`.slice(0, 10))
      .find((t) => 11 - productOf(t) === 10);
    expect(ten).toBeDefined();
    expect(taxIdCheckDigit(ten!)).toBe(0);
  });

  it('accepts every id built by the digit rule and the check-digit algorithm', () => {
    fc.assert(
      fc.property(taxIds, (id) => {
        expect(parseTaxId(id)).toMatchObject({ ok: true, value: id });
      }),
    );
  });

  it('rejects a valid id whose check digit was changed', () => {
    fc.assert(
      fc.property(taxIds, fc.integer({ min: 1, max: 9 }), (id, delta) => {
        const wrong = (Number(id[10]) + delta) % 10;
        expect(parseTaxId(id.slice(0, 10) + wrong)).toEqual({
          ok: false,
          error: 'tax-id.checksum',
        });
      }),
    );
  });

  it('rejects a valid id with any one of its first ten digits changed', () => {
    fc.assert(
      fc.property(
        taxIds,
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (id, i, delta) => {
          const typo = id.slice(0, i) + ((Number(id[i]) + delta) % 10) + id.slice(i + 1);
          expect(parseTaxId(typo).ok).toBe(false);
        },
      ),
    );
  });
});

/** The last running product of MOD 11,10, computed independently of the implementation. */
function productOf(ten: string): number {
  let product = 10;
  for (const d of ten) {
    let sum = (Number(d) + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  return product;
}
