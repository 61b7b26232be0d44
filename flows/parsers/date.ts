/**
 * Dates as citizens type them: "12.3.2024", "12.03.24", "12.3.", "12. März 2024", "3. Januar",
 * "2024-03-12", "March 12, 2024", "12 March 2024", and relative forms like "morgen" or "nächsten
 * Montag" (see `date-relative.ts`). The value is the ISO date `YYYY-MM-DD`; the display is the
 * German `DD.MM.YYYY`.
 */
import {
  calendarDateIn,
  compareDates,
  formatGermanDate,
  formatIsoDate,
  isValidDate,
  isoWeekday,
  toDayNumber,
  type CalendarDate,
} from './calendar.js';
import { parseRelativeDate, type DatePreference } from './date-relative.js';
import { MONTHS, WEEKDAYS } from './date-words.js';
import { failed, parsed, type ParseErrorCode, type ParseResult } from './result.js';
import { cleanInput, foldGerman } from './text.js';

export type { DatePreference } from './date-relative.js';

/** How a date field reads incomplete and relative dates. */
export interface DateParseOptions {
  /**
   * The day relative dates count from. A `Date` is read as a calendar day in `timeZone`; a
   * `CalendarDate` is taken as is. Default: the current instant, so inject it in tests and flows.
   */
  today?: Date | CalendarDate;
  /** Time zone of the citizen, used to read a `Date` as a day. Default: 'Europe/Berlin'. */
  timeZone?: string;
  /**
   * Where a date without a year ("12.3.") or a bare weekday ("am Montag") falls: the latest such
   * day not after today ('past', e.g. a date of birth), the earliest not before today ('future',
   * an appointment), or the closer of the two ('nearest', ties go to the future). Two-digit years
   * follow 'past' for 'past' and the nearest century otherwise, so "12.03.24" never jumps to 2124.
   * Default: 'nearest'.
   */
  prefer?: DatePreference;
}

/** A date or the reason there is none; undefined when the text has another shape. */
type Attempt = CalendarDate | ParseErrorCode | undefined;

/** The candidate a preference picks among valid dates (sorted ascending). */
function pick(candidates: CalendarDate[], today: CalendarDate, prefer: DatePreference) {
  const past = candidates.filter((c) => compareDates(c, today) <= 0).at(-1);
  const future = candidates.find((c) => compareDates(c, today) >= 0);
  if (prefer === 'past' && past) return past;
  if (prefer === 'future' && future) return future;
  if (!past || !future) return past ?? future;
  const distance = (c: CalendarDate) => Math.abs(toDayNumber(c) - toDayNumber(today));
  return distance(past) < distance(future) ? past : future;
}

/** Completes day and month with a written year, a two-digit year or none. */
function withYear(
  day: number,
  month: number,
  yearText: string | undefined,
  today: CalendarDate,
  prefer: DatePreference,
): Attempt {
  if (yearText?.length === 4) {
    const year = Number(yearText);
    return isValidDate(year, month, day) ? { year, month, day } : 'date.invalid';
  }
  const years: number[] = [];
  if (yearText === undefined) {
    // Eight years each way always contain a 29 February, even across 1900 or 2100.
    for (let y = today.year - 8; y <= today.year + 8; y++) years.push(y);
  } else {
    const century = Math.floor(today.year / 100) * 100;
    for (const c of [century - 100, century, century + 100]) years.push(c + Number(yearText));
  }
  const candidates = years
    .filter((year) => isValidDate(year, month, day))
    .map((year) => ({ year, month, day }));
  if (candidates.length === 0) return 'date.invalid';
  const twoDigitPreference = prefer === 'past' ? 'past' : 'nearest';
  return (
    pick(candidates, today, yearText === undefined ? prefer : twoDigitPreference) ?? 'date.invalid'
  );
}

/** ISO, numeric German and written-month dates in folded text. */
function parseAbsolute(text: string, today: CalendarDate, prefer: DatePreference): Attempt {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (iso) return withYear(Number(iso[3]), Number(iso[2]), iso[1], today, prefer);
  const numeric = /^(\d{1,2}) ?\. ?(\d{1,2})(?: ?\. ?(\d{4}|\d{2})?)?$/.exec(text);
  if (numeric) return withYear(Number(numeric[1]), Number(numeric[2]), numeric[3], today, prefer);
  const dayFirst = /^(\d{1,2})(?:\.|st|nd|rd|th)? ?(?:of )?([a-z]+)\.?(?:,? (\d{4}))?$/.exec(text);
  const monthFirst = /^([a-z]+)\.? (\d{1,2})(?:\.|st|nd|rd|th)?(?:,? (\d{4}))?$/.exec(text);
  const [dayText, monthName, yearText] = dayFirst
    ? [dayFirst[1], dayFirst[2], dayFirst[3]]
    : monthFirst
      ? [monthFirst[2], monthFirst[1], monthFirst[3]]
      : [];
  const month = monthName === undefined ? undefined : MONTHS.get(monthName);
  if (month === undefined) return undefined;
  return withYear(Number(dayText), month, yearText, today, prefer);
}

/** An absolute date, optionally after a weekday that must agree ("Dienstag, den 12.3.2024"). */
function parseWithWeekday(text: string, today: CalendarDate, prefer: DatePreference): Attempt {
  const rest = text.replace(/^(?:am|on) /, '');
  const prefixed = /^([a-z]+)\.?,? (?:(?:den|der|the) )?(.+)$/.exec(rest);
  const weekday = prefixed ? WEEKDAYS.get(prefixed[1]!) : undefined;
  const body = (weekday === undefined ? rest : prefixed![2]!).replace(/^(?:den|der|the) /, '');
  const date = parseAbsolute(body, today, prefer);
  if (typeof date !== 'object' || weekday === undefined) return date;
  return isoWeekday(date) === weekday ? date : 'date.weekday-mismatch';
}

/** Reads `today` as a calendar day. */
function resolveToday(options: DateParseOptions): CalendarDate {
  const today = options.today ?? new Date();
  return today instanceof Date ? calendarDateIn(today, options.timeZone ?? 'Europe/Berlin') : today;
}

/**
 * Parses a German or English date. Impossible days ("31.2.") fail with 'date.invalid', results
 * outside the years 1–9999 with 'date.out-of-range', a weekday that contradicts the date with
 * 'date.weekday-mismatch', anything else unrecognised with 'date.format'. Slash dates
 * ("3/12/2024") are rejected on purpose: German and US readings disagree.
 */
export function parseDate(text: string, options: DateParseOptions = {}): ParseResult<string> {
  const input = cleanInput(text);
  if (!input) return failed('empty');
  const today = resolveToday(options);
  const prefer = options.prefer ?? 'nearest';
  const folded = foldGerman(input)
    .replace(/[!?]+$/, '')
    .replace(/(?<=[a-z]|\d{4})\.$/, '')
    .trim();
  const date = parseRelativeDate(folded, today, prefer) ?? parseWithWeekday(folded, today, prefer);
  if (date === undefined) return failed('date.format');
  if (typeof date === 'string') return failed(date);
  if (!isValidDate(date.year, date.month, date.day)) return failed('date.out-of-range');
  return parsed(formatIsoDate(date), formatGermanDate(date));
}
