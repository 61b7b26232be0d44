import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePhone } from '../../../flows/parsers/phone.js';

describe('parsePhone', () => {
  it.each([
    ['+49 89 1234567', '+49891234567', '+49 89 1234567'],
    ['089/1234567', '+49891234567', '+49 89 1234567'],
    ['0171 1234567', '+491711234567', '+49 171 1234567'],
    ['(089) 123 45 67', '+49891234567', '+49 89 123 45 67'],
    ['089-1234567', '+49891234567', '+49 89 1234567'],
    ['0891234567', '+49891234567', '+49 891234567'],
    ['+49 (0)89 1234567', '+49891234567', '+49 89 1234567'],
    ['+49 (0) 89 / 123 45 67', '+49891234567', '+49 89 123 45 67'],
    ['0049 89 1234567', '+49891234567', '+49 89 1234567'],
    ['+49 089 1234567', '+49891234567', '+49 89 1234567'],
    ['+49891234567', '+49891234567', '+49891234567'],
    ['Tel.: 089 1234567', '+49891234567', '+49 89 1234567'],
    ['+43 1 234567', '+431234567', '+43 1 234567'],
    ['+41 44 123 45 67', '+41441234567', '+41 44 123 45 67'],
  ])('reads %j as %s', (text, e164, display) => {
    expect(parsePhone(text)).toEqual({ ok: true, value: e164, display });
  });

  it('reads national numbers with another default country code', () => {
    expect(parsePhone('01 234567', { defaultCallingCode: '43' })).toMatchObject({
      value: '+431234567',
    });
  });

  it.each([
    ['1234567', 'phone.no-area-code'],
    ['089 CALL ME', 'phone.format'],
    ['089+1234567', 'phone.format'],
    ['+', 'phone.format'],
    ['49891234567', 'phone.format'],
    ['089 12', 'phone.length'],
    ['+49 1234', 'phone.length'],
    ['+49 89 1234567 8901234', 'phone.length'],
    ['', 'empty'],
  ])('rejects %j with %s', (text, code) => {
    expect(parsePhone(text)).toEqual({ ok: false, error: code });
  });

  it('gives a German number the same E.164 form however it is written', () => {
    const areaCodes = fc.integer({ min: 2, max: 9999 }).map(String);
    const subscribers = fc.integer({ min: 10_000, max: 99_999_999 }).map(String);
    fc.assert(
      fc.property(areaCodes, subscribers, (area, subscriber) => {
        const e164 = `+49${area}${subscriber}`;
        for (const text of [
          `0${area} ${subscriber}`,
          `0${area}/${subscriber}`,
          `(0${area}) ${subscriber}`,
          `+49 ${area} ${subscriber}`,
          `+49 (0)${area} ${subscriber}`,
          `0049${area}${subscriber}`,
        ]) {
          expect(parsePhone(text)).toMatchObject({ ok: true, value: e164 });
        }
      }),
    );
  });
});
