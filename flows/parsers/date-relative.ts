/**
 * Dates said relative to today: "morgen", "in 3 Tagen", "vor zwei Wochen", "nächsten Montag",
 * "last friday". Kept apart from the absolute formats because these depend on `today` and on the
 * field's preferred direction in time.
 */
import { addDays, addMonths, isoWeekday, type CalendarDate } from './calendar.js';
import { DAY_WORDS, NUMBER_WORDS, UNIT_WORDS, WEEKDAYS, WEEKDAY_MODIFIERS } from './date-words.js';

/** Which way an incomplete date ("12.3.", "am Montag") is read when it could be either. */
export type DatePreference = 'past' | 'future' | 'nearest';

/** A count written as up to five digits or as a number word; undefined otherwise. */
function parseCount(word: string): number | undefined {
  if (/^\d{1,5}$/.test(word)) return Number(word);
  return NUMBER_WORDS.get(word);
}

function shift(today: CalendarDate, count: number, unitWord: string): CalendarDate | undefined {
  const unit = UNIT_WORDS.get(unitWord);
  if (!unit) return undefined;
  return 'days' in unit ? addDays(today, count * unit.days) : addMonths(today, count * unit.months);
}

/** "in 3 Tagen", "vor 2 Wochen", "in a week", "3 days ago". */
function parseOffset(text: string, today: CalendarDate): CalendarDate | undefined {
  const ahead = /^in (\S+) (\S+)$/.exec(text);
  const germanAgo = /^vor (\S+) (\S+)$/.exec(text);
  const englishAgo = /^(\S+) (\S+) ago$/.exec(text);
  const match = ahead ?? germanAgo ?? englishAgo;
  if (!match) return undefined;
  const count = parseCount(match[1]!);
  if (count === undefined) return undefined;
  return shift(today, ahead ? count : -count, match[2]!);
}

/**
 * "Montag", "am Montag", "nächsten Montag", "diesen Montag", "letzten Montag", "next monday".
 * A bare weekday may be today; "nächsten"/"next" is always 1–7 days ahead and "letzten"/"last"
 * 1–7 days back (on a Sunday, "nächsten Montag" is therefore tomorrow).
 */
function parseWeekday(
  text: string,
  today: CalendarDate,
  prefer: DatePreference,
): CalendarDate | undefined {
  const words = text.replace(/\.$/, '').split(' ');
  if (words[0] === 'am' || words[0] === 'on') words.shift();
  if (words.length < 1 || words.length > 2) return undefined;
  const target = WEEKDAYS.get(words[words.length - 1]!);
  const modifier = words.length === 2 ? WEEKDAY_MODIFIERS.get(words[0]!) : undefined;
  if (target === undefined || (words.length === 2 && !modifier)) return undefined;
  const current = isoWeekday(today);
  const ahead = (target - current + 7) % 7;
  const back = (current - target + 7) % 7;
  let offset: number;
  if (modifier === 'next') offset = ahead === 0 ? 7 : ahead;
  else if (modifier === 'last') offset = -(back === 0 ? 7 : back);
  else if (modifier === 'this' || prefer === 'future') offset = ahead;
  else if (prefer === 'past') offset = -back;
  else offset = ahead <= back ? ahead : -back;
  return addDays(today, offset);
}

/**
 * A relative date in folded text (see `foldGerman`), or undefined when the text is not one.
 * Months and years are calendar steps clamped to the month's end ("in einem Monat" from 31 January
 * is the last day of February).
 */
export function parseRelativeDate(
  text: string,
  today: CalendarDate,
  prefer: DatePreference,
): CalendarDate | undefined {
  const days = DAY_WORDS.get(text);
  if (days !== undefined) return addDays(today, days);
  return parseOffset(text, today) ?? parseWeekday(text, today, prefer);
}
