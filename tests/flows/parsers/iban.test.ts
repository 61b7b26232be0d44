import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIban, ibanCheckDigits, parseIban } from '../../../flows/parsers/iban.js';
import { bbanPattern, IBAN_COUNTRIES } from '../../../flows/parsers/iban-countries.js';

const chars = (alphabet: string, length: number) =>
  fc
    .array(fc.constantFrom(...alphabet), { minLength: length, maxLength: length })
    .map((a) => a.join(''));
const DIGITS = '0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const KINDS: Record<string, string> = { n: DIGITS, a: LETTERS, c: DIGITS + LETTERS };

/** A BBAN that fits the country's structure (or its length, where no structure is recorded). */
function bban(country: string): fc.Arbitrary<string> {
  const { length, bban: structure } = IBAN_COUNTRIES.get(country)!;
  const runs = [...(structure ?? `${length - 4}c`).matchAll(/(\d+)([nac])/g)];
  return fc
    .tuple(...runs.map(([, count, kind]) => chars(KINDS[kind!]!, Number(count))))
    .map((parts) => parts.join(''));
}

/** Valid IBANs of every country in the table. */
const ibans = fc
  .constantFrom(...IBAN_COUNTRIES.keys())
  .chain((country) => bban(country).map((b) => `${country}${ibanCheckDigits(country, b)}${b}`));

describe('parseIban', () => {
  it.each([
    ['DE89 3704 0044 0532 0130 00', 'DE89370400440532013000'],
    ['AT61 1904 3002 3457 3201', 'AT611904300234573201'],
    ['CH93 0076 2011 6238 5295 7', 'CH9300762011623852957'],
    ['NL91 ABNA 0417 1643 00', 'NL91ABNA0417164300'],
    ['FR14 2004 1010 0505 0001 3M02 606', 'FR1420041010050500013M02606'],
    ['IT60 X054 2811 1010 0000 0123 456', 'IT60X0542811101000000123456'],
    ['ES91 2100 0418 4502 0005 1332', 'ES9121000418450200051332'],
    ['BE68 5390 0754 7034', 'BE68539007547034'],
    ['LU28 0019 4006 4475 0000', 'LU280019400644750000'],
    ['PL61 1090 1014 0000 0712 1981 2874', 'PL61109010140000071219812874'],
    ['DK50 0040 0440 1162 43', 'DK5000400440116243'],
    ['GB29 NWBK 6016 1331 9268 19', 'GB29NWBK60161331926819'],
  ])('accepts the registry example %s', (text, electronic) => {
    expect(parseIban(text)).toEqual({ ok: true, value: electronic, display: text });
  });

  it('accepts lower case, missing spaces, a label and non-breaking spaces', () => {
    for (const text of [
      'de89370400440532013000',
      'IBAN: DE89 3704 0044 0532 0130 00',
      'DE89\u00a03704\u00a00044\u00a00532\u00a00130\u00a000',
      '  DE8937040044 0532013000 ',
    ]) {
      expect(parseIban(text)).toMatchObject({ ok: true, value: 'DE89370400440532013000' });
    }
  });

  it.each([
    ['DE89 3704 0044 0532 0130 01', 'iban.checksum'],
    ['DE98 3704 0044 0532 0130 00', 'iban.checksum'],
    ['DE89 3704 0044 0532 0130', 'iban.length'],
    ['DE89 3704 0044 0532 0130 000', 'iban.length'],
    ['XX89 3704 0044 0532 0130 00', 'iban.country'],
    ['DE89 3704 0044 0532 0130 0A', 'iban.format'],
    ['DE89-3704-0044-0532-0130-00', 'iban.format'],
    ['3704 0044 0532 0130 00', 'iban.format'],
    ['IBAN', 'iban.format'],
    ['', 'empty'],
  ])('rejects %j with %s', (text, code) => {
    expect(parseIban(text)).toEqual({ ok: false, error: code });
  });

  it('rejects the check digits 00, 01 and 99 that are never issued', () => {
    // 97 + 2 = 99 passes mod 97 exactly when 02 does; the same holds for 00/97 and 01/98.
    const body = 'X0542811101000000123456';
    expect(ibanCheckDigits('IT', body)).toBe('60');
    const candidates = ['DE', 'AT', 'BE'].flatMap((country) => {
      const { length } = IBAN_COUNTRIES.get(country)!;
      return Array.from({ length: 400 }, (_, i) => {
        const b = String(i).padStart(length - 4, '7');
        return { country, b, check: ibanCheckDigits(country, b) };
      });
    });
    const aliases: Record<string, string> = { '02': '99', '97': '00', '98': '01' };
    const tested = candidates.filter((c) => c.check in aliases);
    expect(tested.length).toBeGreaterThan(0);
    for (const { country, b, check } of tested) {
      expect(parseIban(`${country}${check}${b}`).ok).toBe(true);
      expect(parseIban(`${country}${aliases[check]}${b}`)).toEqual({
        ok: false,
        error: 'iban.checksum',
      });
    }
  });

  it('enforces the BBAN structure of countries whose structure is recorded', () => {
    expect(bbanPattern('5n12c').test('00762011623852957')).toBe(true);
    expect(bbanPattern('4a10n').test('ABNA0417164300')).toBe(true);
    expect(bbanPattern('4a10n').test('AB1A0417164300')).toBe(false);
    const bad = `DE${ibanCheckDigits('DE', '37040044053201300A')}37040044053201300A`;
    expect(parseIban(bad)).toEqual({ ok: false, error: 'iban.format' });
  });

  it('accepts every IBAN generated with correct check digits and round-trips its display', () => {
    fc.assert(
      fc.property(ibans, (iban) => {
        const result = parseIban(iban.toLowerCase());
        expect(result).toEqual({ ok: true, value: iban, display: formatIban(iban) });
        if (result.ok) expect(parseIban(result.display)).toEqual(result);
      }),
    );
  });

  it('rejects a valid IBAN with any one digit changed', () => {
    const changed = ibans.chain((iban) => {
      const positions = [...iban].flatMap((c, i) => (i >= 2 && /\d/.test(c) ? [i] : []));
      return fc.tuple(
        fc.constant(iban),
        fc.constantFrom(...positions),
        fc.integer({ min: 1, max: 9 }),
      );
    });
    fc.assert(
      fc.property(changed, ([iban, position, delta]) => {
        const digit = (Number(iban[position]) + delta) % 10;
        const typo = iban.slice(0, position) + digit + iban.slice(position + 1);
        expect(parseIban(typo)).toEqual({ ok: false, error: 'iban.checksum' });
      }),
    );
  });

  it('rejects a valid IBAN with two different adjacent digits swapped', () => {
    const swapped = ibans
      .filter((iban) =>
        [...iban].some(
          (c, i) => i >= 4 && /\d/.test(c) && /\d/.test(iban[i + 1] ?? '') && c !== iban[i + 1],
        ),
      )
      .chain((iban) => {
        const positions = [...iban].flatMap((c, i) =>
          i >= 4 && /\d/.test(c) && /\d/.test(iban[i + 1] ?? '') && c !== iban[i + 1] ? [i] : [],
        );
        return fc.tuple(fc.constant(iban), fc.constantFrom(...positions));
      });
    fc.assert(
      fc.property(swapped, ([iban, i]) => {
        const typo = iban.slice(0, i) + iban[i + 1] + iban[i] + iban.slice(i + 2);
        expect(parseIban(typo)).toEqual({ ok: false, error: 'iban.checksum' });
      }),
    );
  });

  it('knows the lengths of the countries its citizens bank in most', () => {
    const lengths = Object.fromEntries(
      ['DE', 'AT', 'CH', 'NL', 'FR', 'IT', 'ES', 'BE', 'LU', 'PL', 'DK'].map((c) => [
        c,
        IBAN_COUNTRIES.get(c)?.length,
      ]),
    );
    expect(lengths).toEqual({
      DE: 22,
      AT: 20,
      CH: 21,
      NL: 18,
      FR: 27,
      IT: 27,
      ES: 24,
      BE: 16,
      LU: 20,
      PL: 28,
      DK: 18,
    });
  });
});
