/**
 * Coordinates, typed or shared. Citizens paste "48.137, 11.575" from a map app, write
 * "48,137 N 11,575 O" with German decimal commas, or copy degrees and minutes; channels send
 * location payloads (Bot Framework `GeoCoordinates`/`Place` entities, Telegram `location`).
 * Everything ends as WGS 84 latitude and longitude in decimal degrees.
 */
import { failed, parsed, type ParseErrorCode, type ParseResult } from './result.js';
import { cleanInput } from './text.js';

/** A point in WGS 84 decimal degrees. */
export interface GeoPoint {
  latitude: number;
  longitude: number;
}

/** Degrees with decimal point or comma, or whole degrees with minutes and seconds. */
const ANGLE = String.raw`(\d{1,3}(?:[.,]\d+)?)\s*°?\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*['′]\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*(?:["″]|''))?)?`;
/** Hemisphere letter before the angle ("O" is German "Ost"), sign, angle. */
const COMPONENT = new RegExp(String.raw`\s*([NSEWO])?\s*([-+])?\s*${ANGLE}`, 'iy');
/** Hemisphere letter after the angle. */
const HEMISPHERE_AFTER = /\s*([NSEWO])(?![a-z])/iy;
const SEPARATOR = /\s*[,;/]?\s*/y;
const GEO_URI = /^geo:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)(?:,-?\d+(?:\.\d+)?)?(?:;.*)?$/i;

/** One coordinate with the axis its hemisphere letter names, if any. */
interface Component {
  value: number;
  axis?: 'lat' | 'lon';
}

const number = (text: string | undefined): number => Number((text ?? '0').replace(',', '.'));

/** Builds a coordinate from its parts; undefined when they contradict each other. */
function component(
  hemisphere: string | undefined,
  sign: string | undefined,
  [degrees, minutes, seconds]: (string | undefined)[],
): Component | undefined {
  if (hemisphere && sign) return undefined;
  if (minutes !== undefined && /[.,]/.test(degrees!)) return undefined;
  if (number(minutes) >= 60 || number(seconds) >= 60) return undefined;
  const magnitude = number(degrees) + number(minutes) / 60 + number(seconds) / 3600;
  const h = hemisphere?.toUpperCase();
  const negative = sign === '-' || h === 'S' || h === 'W';
  const value = negative ? -magnitude : magnitude;
  if (h === undefined) return { value };
  return { value, axis: h === 'N' || h === 'S' ? 'lat' : 'lon' };
}

/**
 * Scans the coordinates of a text from left to right. A hemisphere letter belongs to the number
 * before it unless the number already had one in front ("N 48.1 E 11.5" and "48.1 N 11.5 E").
 * A decimal comma is part of a number when digits follow it directly, so "48,137, 11,575" is two
 * numbers.
 */
function scan(input: string): Component[] | undefined {
  const components: Component[] = [];
  let position = 0;
  while (position < input.length && components.length < 3) {
    if (components.length > 0) {
      SEPARATOR.lastIndex = position;
      SEPARATOR.exec(input);
      position = SEPARATOR.lastIndex;
    }
    COMPONENT.lastIndex = position;
    const m = COMPONENT.exec(input);
    if (!m) return undefined;
    position = COMPONENT.lastIndex;
    let hemisphere = m[1];
    if (!hemisphere) {
      HEMISPHERE_AFTER.lastIndex = position;
      const after = HEMISPHERE_AFTER.exec(input);
      if (after) [hemisphere, position] = [after[1], HEMISPHERE_AFTER.lastIndex];
    }
    const c = component(hemisphere, m[2], m.slice(3, 6));
    if (!c) return undefined;
    components.push(c);
  }
  return components.length === 2 ? components : undefined;
}

/** Rounds to seven decimals (about a centimetre), enough for any address. */
const round = (n: number): number => Math.round(n * 1e7) / 1e7 + 0;

/** Range-checks a point and builds the result; display "48.137, 11.575". */
export function geoResult(latitude: number, longitude: number): ParseResult<GeoPoint> {
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return failed('geo.format');
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return failed('geo.range');
  const point = { latitude: round(latitude), longitude: round(longitude) };
  return parsed(point, `${point.latitude}, ${point.longitude}`);
}

/**
 * Parses typed coordinates: "48.137, 11.575", "48,137 N 11,575 E", "N 48.137 E 11.575",
 * "48°8'13\"N 11°34'30\"E", "geo:48.137,11.575" (RFC 5870). Latitude comes first unless
 * hemisphere letters say otherwise. Errors: 'geo.format', 'geo.range' (|lat| > 90, |lon| > 180).
 */
export function parseCoordinates(text: string): ParseResult<GeoPoint> {
  const input = cleanInput(text);
  if (!input) return failed('empty');
  const uri = GEO_URI.exec(input);
  if (uri) return geoResult(Number(uri[1]), Number(uri[2]));
  const [first, second] = scan(input) ?? [];
  if (!first || !second || (first.axis && first.axis === second.axis)) return failed('geo.format');
  const swapped = first.axis === 'lon' || second.axis === 'lat';
  return swapped ? geoResult(second.value, first.value) : geoResult(first.value, second.value);
}

/** A finite number, or a string holding one (some channels send strings). */
function coordinate(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+(?:\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a location a channel delivered: a Bot Framework entity `{ type: 'GeoCoordinates',
 * latitude, longitude }` or `{ type: 'Place', geo: {...} }`, an activity's `entities` array (the
 * first location in it counts), a Telegram message `{ location: { latitude, longitude } }` or
 * Location object, or typed text. Anything else is 'geo.format'.
 */
export function parseLocationValue(value: unknown): ParseResult<GeoPoint> {
  if (typeof value === 'string') return parseCoordinates(value);
  if (Array.isArray(value)) {
    let error: ParseErrorCode = 'geo.format';
    for (const item of value) {
      const result = parseLocationValue(item);
      if (result.ok) return result;
      if (result.error === 'geo.range') error = result.error;
    }
    return failed(error);
  }
  if (!isRecord(value)) return failed('geo.format');
  if (value.type === 'Place' || (value.geo !== undefined && value.latitude === undefined)) {
    return parseLocationValue(value.geo);
  }
  if (isRecord(value.location)) return parseLocationValue(value.location);
  if (Array.isArray(value.entities)) return parseLocationValue(value.entities);
  const latitude = coordinate(value.latitude);
  const longitude = coordinate(value.longitude);
  if (latitude === undefined || longitude === undefined) return failed('geo.format');
  return geoResult(latitude, longitude);
}
