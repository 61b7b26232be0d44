import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAddress, parseAddress, type Address } from '../../../flows/parsers/address.js';

describe('parseAddress', () => {
  it.each<[string, Address, string]>([
    ['Hauptstraße 5', { street: 'Hauptstraße', houseNumber: '5' }, 'Hauptstraße 5'],
    [
      'Hauptstr. 5a, 80331 München',
      { street: 'Hauptstraße', houseNumber: '5a', postcode: '80331', city: 'München' },
      'Hauptstraße 5a, 80331 München',
    ],
    [
      'Marienplatz 8, 80331 München',
      { street: 'Marienplatz', houseNumber: '8', postcode: '80331', city: 'München' },
      'Marienplatz 8, 80331 München',
    ],
    ['Am Wald 12 b', { street: 'Am Wald', houseNumber: '12b' }, 'Am Wald 12b'],
    [
      'Sonnenstraße 12-14, München',
      { street: 'Sonnenstraße', houseNumber: '12-14', city: 'München' },
      'Sonnenstraße 12-14, München',
    ],
    [
      '80331 München, Hauptstraße 5',
      { street: 'Hauptstraße', houseNumber: '5', postcode: '80331', city: 'München' },
      'Hauptstraße 5, 80331 München',
    ],
    [
      'Hauptstraße 5 80331 München',
      { street: 'Hauptstraße', houseNumber: '5', postcode: '80331', city: 'München' },
      'Hauptstraße 5, 80331 München',
    ],
    [
      'Berliner Str. 5\n10115 Berlin',
      { street: 'Berliner Straße', houseNumber: '5', postcode: '10115', city: 'Berlin' },
      'Berliner Straße 5, 10115 Berlin',
    ],
    [
      'Straße des 17. Juni 135, 10623 Berlin',
      { street: 'Straße des 17. Juni', houseNumber: '135', postcode: '10623', city: 'Berlin' },
      'Straße des 17. Juni 135, 10623 Berlin',
    ],
    [
      'Frankfurter Allee 7 / 1; 60311 Frankfurt am Main; Deutschland',
      {
        street: 'Frankfurter Allee',
        houseNumber: '7/1',
        postcode: '60311',
        city: 'Frankfurt am Main',
      },
      'Frankfurter Allee 7/1, 60311 Frankfurt am Main',
    ],
    [
      'Hauptstraße 5 A, Halle (Saale)',
      { street: 'Hauptstraße', houseNumber: '5a', city: 'Halle (Saale)' },
      'Hauptstraße 5a, Halle (Saale)',
    ],
    ['hauptstr 5', { street: 'hauptstraße', houseNumber: '5' }, 'hauptstraße 5'],
    [
      'Hauptstraße 5 München',
      { street: 'Hauptstraße', houseNumber: '5', city: 'München' },
      'Hauptstraße 5, München',
    ],
  ])('reads %j', (text, value, display) => {
    expect(parseAddress(text)).toEqual({ ok: true, value, display });
  });

  it.each([
    ['Hauptstraße', 'address.no-number'],
    ['Marienplatz, 80331 München', 'address.no-number'],
    ['80331 München', 'address.format'],
    ['Straße des 17. Juni', 'address.no-number'],
    ['Hauptstraße 5, 00123 München', 'address.postcode'],
    ['Hauptstraße 5, 8033 München', 'address.postcode'],
    ['Hauptstraße 5, Nebenstraße 7', 'address.format'],
    ['Hauptstraße 5, 80331 München, 10115 Berlin', 'address.format'],
    ['80331 München Hauptstraße 5', 'address.format'],
    ['12345', 'address.format'],
    ['5', 'address.format'],
    ['', 'empty'],
  ])('rejects %j with %s', (text, code) => {
    expect(parseAddress(text)).toEqual({ ok: false, error: code });
  });

  it('reads the same address from street-first and postcode-first order', () => {
    const word = fc
      .tuple(
        fc.constantFrom(...'ABDEFGHKLMNRSTWÄÖÜ'),
        fc.array(fc.constantFrom(...'aeilnorstuäöüß'), { minLength: 2, maxLength: 8 }),
      )
      .map(([first, rest]) => first + rest.join(''));
    const addresses = fc.record({
      street: fc
        .tuple(word, fc.constantFrom('straße', 'weg', 'platz', 'gasse', ' Allee'))
        .map(([name, kind]) => name + kind),
      houseNumber: fc
        .tuple(fc.integer({ min: 1, max: 9999 }), fc.constantFrom('', 'a', 'b', '-2'))
        .map(([n, extra]) => `${n}${extra}`),
      postcode: fc.integer({ min: 1001, max: 99_998 }).map((n) => String(n).padStart(5, '0')),
      city: word,
    });
    fc.assert(
      fc.property(addresses, (address: Address) => {
        const { street, houseNumber, postcode, city } = address;
        for (const text of [
          `${street} ${houseNumber}, ${postcode} ${city}`,
          `${postcode} ${city}, ${street} ${houseNumber}`,
          `${street} ${houseNumber}\n${postcode} ${city}`,
          `${street} ${houseNumber} ${postcode} ${city}`,
        ]) {
          expect(parseAddress(text)).toEqual({
            ok: true,
            value: address,
            display: formatAddress(address),
          });
        }
      }),
    );
  });
});
