import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePostcode } from '../../../flows/parsers/postcode.js';

describe('parsePostcode', () => {
  it.each([
    ['80331', '80331'],
    [' 01067 ', '01067'],
    ['D-80331', '80331'],
    ['DE-80331', '80331'],
    ['PLZ: 10115', '10115'],
    ['01001', '01001'],
    ['99998', '99998'],
  ])('accepts %j as %s', (text, postcode) => {
    expect(parsePostcode(text)).toEqual({ ok: true, value: postcode, display: postcode });
  });

  it.each([
    ['00123', 'postcode.range'],
    ['01000', 'postcode.range'],
    ['99999', 'postcode.range'],
    ['8033', 'postcode.format'],
    ['803311', 'postcode.format'],
    ['80 331', 'postcode.format'],
    ['München', 'postcode.format'],
    ['', 'empty'],
  ])('rejects %j with %s', (text, code) => {
    expect(parsePostcode(text)).toEqual({ ok: false, error: code });
  });

  it('accepts exactly the five-digit numbers from 01001 to 99998', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), (n) => {
        const text = String(n).padStart(5, '0');
        expect(parsePostcode(text).ok).toBe(n >= 1001 && n <= 99_998);
      }),
    );
  });
});
