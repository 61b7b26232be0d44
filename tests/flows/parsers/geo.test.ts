import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCoordinates, parseLocationValue } from '../../../flows/parsers/geo.js';

const munich = { latitude: 48.137, longitude: 11.575 };

describe('parseCoordinates', () => {
  it.each([
    ['48.137, 11.575', munich],
    ['48.137,11.575', munich],
    ['48.137 11.575', munich],
    ['48,137, 11,575', munich],
    ['48,137 N 11,575 E', munich],
    ['48,137 N, 11,575 O', munich],
    ['N 48.137 E 11.575', munich],
    ['48.137° N, 11.575° E', munich],
    ['11.575 E, 48.137 N', munich],
    ['geo:48.137,11.575', munich],
    ['geo:48.137,11.575,520;u=35', munich],
    ['-33.8688, 151.2093', { latitude: -33.8688, longitude: 151.2093 }],
    ['33.8688 S 151.2093 E', { latitude: -33.8688, longitude: 151.2093 }],
    ['40.7128 N 74.006 W', { latitude: 40.7128, longitude: -74.006 }],
    ['48°8\'13.2"N 11°34\'30"E', { latitude: 48.137, longitude: 11.575 }],
    ["48° 8.22' N, 11° 34.5' E", { latitude: 48.137, longitude: 11.575 }],
    ['90, 180', { latitude: 90, longitude: 180 }],
  ])('reads %j', (text, point) => {
    expect(parseCoordinates(text)).toEqual({
      ok: true,
      value: point,
      display: `${point.latitude}, ${point.longitude}`,
    });
  });

  it.each([
    ['91, 11.5', 'geo.range'],
    ['48.1, 181', 'geo.range'],
    ['geo:48.1,200', 'geo.range'],
    ['48.137', 'geo.format'],
    ['48.137, 11.575, 12.1', 'geo.format'],
    ['48.1 N 11.5 N', 'geo.format'],
    ['N 48.1 S', 'geo.format'],
    ['-48.1 S, 11.5', 'geo.format'],
    ["48°61' N 11° E", 'geo.format'],
    ['Marienplatz', 'geo.format'],
    ['', 'empty'],
  ])('rejects %j with %s', (text, code) => {
    expect(parseCoordinates(text)).toEqual({ ok: false, error: code });
  });

  it('reads back any in-range point written with point or comma and with hemisphere letters', () => {
    const latitudes = fc.integer({ min: -90_000_000, max: 90_000_000 }).map((n) => n / 1e6);
    const longitudes = fc.integer({ min: -180_000_000, max: 180_000_000 }).map((n) => n / 1e6);
    fc.assert(
      fc.property(latitudes, longitudes, (latitude, longitude) => {
        const comma = (n: number) => String(Math.abs(n)).replace('.', ',');
        const ns = latitude < 0 ? 'S' : 'N';
        const ew = longitude < 0 ? 'W' : 'E';
        for (const text of [
          `${latitude}, ${longitude}`,
          `geo:${latitude},${longitude}`,
          `${comma(latitude)} ${ns} ${comma(longitude)} ${ew}`,
          `${ew} ${Math.abs(longitude)} ${ns} ${Math.abs(latitude)}`,
        ]) {
          expect(parseCoordinates(text)).toMatchObject({
            ok: true,
            value: { latitude, longitude },
          });
        }
      }),
    );
  });

  it('rejects any latitude beyond 90 degrees', () => {
    fc.assert(
      fc.property(fc.integer({ min: 90_001, max: 999_999 }), (n) => {
        expect(parseCoordinates(`${n / 1000}, 10`)).toEqual({ ok: false, error: 'geo.range' });
      }),
    );
  });
});

describe('parseLocationValue', () => {
  it.each([
    [
      'a Bot Framework GeoCoordinates entity',
      { type: 'GeoCoordinates', ...munich, elevation: 520 },
    ],
    [
      'a Place entity',
      { type: 'Place', name: 'Marienplatz', geo: { type: 'GeoCoordinates', ...munich } },
    ],
    ['an activity entities array', [{ type: 'mention' }, { type: 'GeoCoordinates', ...munich }]],
    ['an object with entities', { entities: [{ type: 'Place', geo: munich }] }],
    ['a Telegram message', { message_id: 7, location: { ...munich, horizontal_accuracy: 12 } }],
    ['a Telegram Location object', { latitude: 48.137, longitude: 11.575 }],
    ['numeric strings', { latitude: '48.137', longitude: '11.575' }],
    ['typed text', '48,137 N 11,575 E'],
  ])('reads %s', (_name, value) => {
    expect(parseLocationValue(value)).toEqual({
      ok: true,
      value: munich,
      display: '48.137, 11.575',
    });
  });

  it.each([
    ['nothing', undefined, 'geo.format'],
    ['null', null, 'geo.format'],
    ['a number', 48.1, 'geo.format'],
    ['an entity without coordinates', { type: 'GeoCoordinates' }, 'geo.format'],
    ['a non-finite latitude', { latitude: Number.NaN, longitude: 11 }, 'geo.format'],
    ['a Place without geo', { type: 'Place', name: 'Rathaus' }, 'geo.format'],
    ['an array without locations', [{ type: 'mention' }], 'geo.format'],
    [
      'an out-of-range entity',
      { type: 'GeoCoordinates', latitude: 95, longitude: 11 },
      'geo.range',
    ],
    ['an array with only an out-of-range location', [{ latitude: 95, longitude: 11 }], 'geo.range'],
  ])('rejects %s', (_name, value, code) => {
    expect(parseLocationValue(value)).toEqual({ ok: false, error: code });
  });
});
