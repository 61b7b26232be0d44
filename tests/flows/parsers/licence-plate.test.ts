import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatLicencePlate,
  parseLicencePlate,
  type LicencePlate,
} from '../../../flows/parsers/licence-plate.js';

const letters = (alphabet: string, min: number, max: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => a.join(''));
const AZ = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const plates: fc.Arbitrary<LicencePlate> = fc
  .record({
    district: letters(`${AZ}ÄÖÜ`, 1, 3),
    letters: letters(AZ, 1, 2),
    digits: fc.integer({ min: 1, max: 9999 }).map(String),
    suffix: fc.constantFrom(undefined, 'E' as const, 'H' as const),
  })
  .map(({ suffix, ...rest }) => (suffix ? { ...rest, suffix } : rest))
  .filter((p) => formatLicencePlate(p).replace(/[- ]/g, '').length <= 8);

describe('parseLicencePlate', () => {
  it.each([
    ['M-AB 1234', { district: 'M', letters: 'AB', digits: '1234' }, 'M-AB 1234'],
    ['M AB 1234', { district: 'M', letters: 'AB', digits: '1234' }, 'M-AB 1234'],
    ['m-ab1234', { district: 'M', letters: 'AB', digits: '1234' }, 'M-AB 1234'],
    ['M - AB - 1234', { district: 'M', letters: 'AB', digits: '1234' }, 'M-AB 1234'],
    ['B-XY 12E', { district: 'B', letters: 'XY', digits: '12', suffix: 'E' }, 'B-XY 12E'],
    ['B XY 12 e', { district: 'B', letters: 'XY', digits: '12', suffix: 'E' }, 'B-XY 12E'],
    ['HH-AB 123H', { district: 'HH', letters: 'AB', digits: '123', suffix: 'H' }, 'HH-AB 123H'],
    ['M-A 1', { district: 'M', letters: 'A', digits: '1' }, 'M-A 1'],
    ['MÜ-AB 12', { district: 'MÜ', letters: 'AB', digits: '12' }, 'MÜ-AB 12'],
    ['töl x 99', { district: 'TÖL', letters: 'X', digits: '99' }, 'TÖL-X 99'],
  ])('reads %j', (text, value, display) => {
    expect(parseLicencePlate(text)).toEqual({ ok: true, value, display });
  });

  it.each([
    ['MAB 1234', 'plate.format'],
    ['M-AB 0123', 'plate.format'],
    ['M-ÄB 12', 'plate.format'],
    ['M-ABC 12', 'plate.format'],
    ['M-AB 12345', 'plate.format'],
    ['MÜNC-AB 12', 'plate.format'],
    ['M-AB', 'plate.format'],
    ['M-AB 12X', 'plate.format'],
    ['TÖL-AB 1234', 'plate.length'],
    ['TÖL-AB 123E', 'plate.length'],
    ['HH-AB 1234H', 'plate.length'],
    ['', 'empty'],
  ])('rejects %j with %s', (text, code) => {
    expect(parseLicencePlate(text)).toEqual({ ok: false, error: code });
  });

  it('round-trips plates formatted from generated parts, in any case and with any separator', () => {
    fc.assert(
      fc.property(
        plates,
        fc.constantFrom('-', ' ', ' - '),
        fc.boolean(),
        (plate, separator, lower) => {
          const text = `${plate.district}${separator}${plate.letters} ${plate.digits}${plate.suffix ?? ''}`;
          const result = parseLicencePlate(lower ? text.toLowerCase() : text);
          expect(result).toEqual({ ok: true, value: plate, display: formatLicencePlate(plate) });
          if (result.ok) expect(parseLicencePlate(result.display)).toEqual(result);
        },
      ),
    );
  });
});
