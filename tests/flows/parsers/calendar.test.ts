import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  calendarDateIn,
  daysInMonth,
  formatGermanDate,
  formatIsoDate,
  fromDayNumber,
  isValidDate,
  isoWeekday,
  toDayNumber,
} from '../../../flows/parsers/calendar.js';

const dayNumbers = fc.integer({
  min: toDayNumber({ year: 1, month: 1, day: 1 }),
  max: toDayNumber({ year: 9999, month: 12, day: 31 }),
});

describe('calendar', () => {
  it('knows the length of February in leap and common years, including century rules', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2024, 4)).toBe(30);
    expect(daysInMonth(2024, 13)).toBe(0);
  });

  it('rejects impossible days such as 31 February and 31 April', () => {
    expect(isValidDate(2024, 2, 31)).toBe(false);
    expect(isValidDate(2024, 4, 31)).toBe(false);
    expect(isValidDate(2024, 0, 1)).toBe(false);
    expect(isValidDate(0, 1, 1)).toBe(false);
    expect(isValidDate(2024, 2, 29)).toBe(true);
  });

  it('counts day numbers from 1970-01-01, also for years below 100', () => {
    expect(toDayNumber({ year: 1970, month: 1, day: 1 })).toBe(0);
    expect(toDayNumber({ year: 1970, month: 1, day: 2 })).toBe(1);
    expect(fromDayNumber(toDayNumber({ year: 50, month: 6, day: 15 }))).toEqual({
      year: 50,
      month: 6,
      day: 15,
    });
  });

  it('round-trips every day between the years 1 and 9999 through its day number', () => {
    fc.assert(
      fc.property(dayNumbers, (n) => {
        const date = fromDayNumber(n);
        expect(isValidDate(date.year, date.month, date.day)).toBe(true);
        expect(toDayNumber(date)).toBe(n);
      }),
    );
  });

  it('names ISO weekdays, Monday being 1', () => {
    expect(isoWeekday({ year: 2024, month: 3, day: 11 })).toBe(1);
    expect(isoWeekday({ year: 2024, month: 3, day: 17 })).toBe(7);
    expect(isoWeekday({ year: 1970, month: 1, day: 1 })).toBe(4);
    expect(isoWeekday({ year: 1969, month: 12, day: 29 })).toBe(1);
  });

  it('moves by days across month and year ends', () => {
    expect(addDays({ year: 2023, month: 12, day: 31 }, 1)).toEqual({
      year: 2024,
      month: 1,
      day: 1,
    });
    expect(addDays({ year: 2024, month: 3, day: 1 }, -1)).toEqual({
      year: 2024,
      month: 2,
      day: 29,
    });
  });

  it('moves by months clamped to the end of a shorter month', () => {
    expect(addMonths({ year: 2024, month: 1, day: 31 }, 1)).toEqual({
      year: 2024,
      month: 2,
      day: 29,
    });
    expect(addMonths({ year: 2023, month: 1, day: 31 }, 1)).toEqual({
      year: 2023,
      month: 2,
      day: 28,
    });
    expect(addMonths({ year: 2024, month: 2, day: 29 }, 12)).toEqual({
      year: 2025,
      month: 2,
      day: 28,
    });
    expect(addMonths({ year: 2024, month: 1, day: 15 }, -2)).toEqual({
      year: 2023,
      month: 11,
      day: 15,
    });
  });

  it('formats ISO and German dates with leading zeros', () => {
    const date = { year: 2024, month: 3, day: 5 };
    expect(formatIsoDate(date)).toBe('2024-03-05');
    expect(formatGermanDate(date)).toBe('05.03.2024');
  });

  it('reads an instant as the calendar day of the given time zone', () => {
    const lateEvening = new Date('2024-03-12T23:30:00Z');
    expect(calendarDateIn(lateEvening, 'Europe/Berlin')).toEqual({ year: 2024, month: 3, day: 13 });
    expect(calendarDateIn(lateEvening, 'UTC')).toEqual({ year: 2024, month: 3, day: 12 });
  });
});
