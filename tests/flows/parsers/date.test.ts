import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatIsoDate,
  fromDayNumber,
  toDayNumber,
  type CalendarDate,
} from '../../../flows/parsers/calendar.js';
import { parseDate, type DateParseOptions } from '../../../flows/parsers/date.js';

/** Wednesday, 13 March 2024. */
const today: CalendarDate = { year: 2024, month: 3, day: 13 };
const value = (text: string, options: DateParseOptions = {}) => {
  const result = parseDate(text, { today, ...options });
  return result.ok ? result.value : result.error;
};

const days = (from: CalendarDate, to: CalendarDate) => toDayNumber(to) - toDayNumber(from);
const fourDigitYearDays = fc
  .integer({
    min: toDayNumber({ year: 1000, month: 1, day: 1 }),
    max: toDayNumber({ year: 9999, month: 12, day: 31 }),
  })
  .map(fromDayNumber);
const todays = fc
  .integer({
    min: toDayNumber({ year: 1950, month: 1, day: 1 }),
    max: toDayNumber({ year: 2090, month: 12, day: 31 }),
  })
  .map(fromDayNumber);

describe('parseDate', () => {
  it.each([
    ['12.3.2024', '2024-03-12'],
    ['12.03.24', '2024-03-12'],
    ['1.1.2025', '2025-01-01'],
    ['12. 3. 2024', '2024-03-12'],
    ['12.3.', '2024-03-12'],
    ['12.3', '2024-03-12'],
    ['am 12.3.', '2024-03-12'],
    ['12. März 2024', '2024-03-12'],
    ['12. Maerz', '2024-03-12'],
    ['12. MÄRZ', '2024-03-12'],
    ['12. Mrz. 2024', '2024-03-12'],
    ['3. Januar', '2024-01-03'],
    ['der 3. Januar', '2024-01-03'],
    ['3. Jänner 2024', '2024-01-03'],
    ['24. Dezember', '2023-12-24'],
    ['2024-03-12', '2024-03-12'],
    ['１２.３.２０２４', '2024-03-12'],
    ['12.3.2024.', '2024-03-12'],
    ['Dienstag, den 12.03.2024', '2024-03-12'],
    ['Di, 12. März 2024', '2024-03-12'],
  ])('reads the German date %j as %s', (text, expected) => {
    expect(value(text)).toBe(expected);
  });

  it.each([
    ['March 12, 2024', '2024-03-12'],
    ['march 12th', '2024-03-12'],
    ['12 March 2024', '2024-03-12'],
    ['12th of March 2024', '2024-03-12'],
    ['Dec 24', '2023-12-24'],
    ['Tuesday, March 12, 2024', '2024-03-12'],
  ])('reads the English date %j as %s', (text, expected) => {
    expect(value(text)).toBe(expected);
  });

  it.each([
    ['heute', '2024-03-13'],
    ['Heute!', '2024-03-13'],
    ['morgen', '2024-03-14'],
    ['morgen.', '2024-03-14'],
    ['übermorgen', '2024-03-15'],
    ['Uebermorgen', '2024-03-15'],
    ['gestern', '2024-03-12'],
    ['vorgestern', '2024-03-11'],
    ['nächsten Montag', '2024-03-18'],
    ['kommenden Mittwoch', '2024-03-20'],
    ['diesen Mittwoch', '2024-03-13'],
    ['am Montag', '2024-03-11'],
    ['Freitag', '2024-03-15'],
    ['letzten Freitag', '2024-03-08'],
    ['in 3 Tagen', '2024-03-16'],
    ['in drei Tagen', '2024-03-16'],
    ['in einer Woche', '2024-03-20'],
    ['vor 2 Wochen', '2024-02-28'],
    ['in einem Monat', '2024-04-13'],
    ['vor einem Jahr', '2023-03-13'],
    ['today', '2024-03-13'],
    ['tomorrow', '2024-03-14'],
    ['yesterday', '2024-03-12'],
    ['the day after tomorrow', '2024-03-15'],
    ['next monday', '2024-03-18'],
    ['last Monday', '2024-03-11'],
    ['on Friday', '2024-03-15'],
    ['in 2 weeks', '2024-03-27'],
    ['in a month', '2024-04-13'],
    ['3 days ago', '2024-03-10'],
    ['two years ago', '2022-03-13'],
  ])('reads the relative date %j from Wednesday 13 March 2024 as %s', (text, expected) => {
    expect(value(text)).toBe(expected);
  });

  it.each([
    ['31.2.', 'date.invalid'],
    ['31.02.2024', 'date.invalid'],
    ['29.2.2023', 'date.invalid'],
    ['32.1.', 'date.invalid'],
    ['12.13.2024', 'date.invalid'],
    ['31. April', 'date.invalid'],
    ['0.1.2024', 'date.invalid'],
    ['Mittwoch, 12.03.2024', 'date.weekday-mismatch'],
    ['in 99999 Jahren', 'date.out-of-range'],
    ['bald', 'date.format'],
    ['12/3/2024', 'date.format'],
    ['nächste Woche', 'date.format'],
    ['12. Foo 2024', 'date.format'],
    ['in drei Wochenenden', 'date.format'],
    ['', 'empty'],
    ['   ', 'empty'],
  ])('rejects %j with %s', (text, code) => {
    expect(value(text)).toBe(code);
  });

  it('shows dates the German way and stores them as ISO dates', () => {
    expect(parseDate('3. Januar 2024', { today })).toEqual({
      ok: true,
      value: '2024-01-03',
      display: '03.01.2024',
    });
  });

  it('puts a date without year in the past, the future or the nearest year as the field prefers', () => {
    expect(value('12.3.', { prefer: 'past' })).toBe('2024-03-12');
    expect(value('12.3.', { prefer: 'future' })).toBe('2025-03-12');
    expect(value('12.3.', { prefer: 'nearest' })).toBe('2024-03-12');
    expect(value('14. März', { prefer: 'past' })).toBe('2023-03-14');
    expect(value('14. März', { prefer: 'future' })).toBe('2024-03-14');
    expect(value('13.3.', { prefer: 'past' })).toBe('2024-03-13');
    expect(value('13.3.', { prefer: 'future' })).toBe('2024-03-13');
    expect(value('1.1.', { today: { year: 2024, month: 12, day: 31 } })).toBe('2025-01-01');
  });

  it('finds the closest 29 February for a date without year', () => {
    const march2025 = { year: 2025, month: 3, day: 1 };
    expect(value('29.2.', { today: march2025, prefer: 'past' })).toBe('2024-02-29');
    expect(value('29.2.', { today: march2025, prefer: 'future' })).toBe('2028-02-29');
    expect(value('29.2.', { today: march2025 })).toBe('2024-02-29');
  });

  it('expands two-digit years to the past for birth dates and never a century ahead otherwise', () => {
    expect(value('12.03.54', { prefer: 'past' })).toBe('1954-03-12');
    expect(value('12.03.54', { prefer: 'nearest' })).toBe('2054-03-12');
    expect(value('12.03.24', { prefer: 'future' })).toBe('2024-03-12');
    expect(value('12.03.99', { prefer: 'future' })).toBe('1999-03-12');
  });

  it('reads a bare weekday as today or the closest such day in the preferred direction', () => {
    expect(value('am Montag', { prefer: 'future' })).toBe('2024-03-18');
    expect(value('am Montag', { prefer: 'past' })).toBe('2024-03-11');
    expect(value('Mittwoch', { prefer: 'future' })).toBe('2024-03-13');
    expect(value('Mittwoch', { prefer: 'past' })).toBe('2024-03-13');
    expect(value('nächsten Mittwoch')).toBe('2024-03-20');
    expect(value('letzten Mittwoch')).toBe('2024-03-06');
  });

  it('treats "nächsten Montag" said on a Sunday as the next day', () => {
    expect(value('nächsten Montag', { today: { year: 2024, month: 3, day: 17 } })).toBe(
      '2024-03-18',
    );
  });

  it('reads an injected instant as a day in Berlin unless another time zone is given', () => {
    const instant = new Date('2024-03-12T23:30:00Z');
    expect(parseDate('heute', { today: instant })).toMatchObject({ value: '2024-03-13' });
    expect(parseDate('heute', { today: instant, timeZone: 'UTC' })).toMatchObject({
      value: '2024-03-12',
    });
  });

  it('reads any calendar date written as D.M.YYYY back as itself', () => {
    fc.assert(
      fc.property(fourDigitYearDays, (date) => {
        const text = `${date.day}.${date.month}.${date.year}`;
        expect(parseDate(text, { today })).toMatchObject({ ok: true, value: formatIsoDate(date) });
      }),
    );
  });

  it('reads any calendar date in ISO form, DD.MM.YYYY or with a written month back as itself', () => {
    const german = ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August'];
    const english = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August'];
    const more = ['September', 'Oktober', 'November', 'Dezember'];
    const moreEnglish = ['September', 'October', 'November', 'December'];
    const germanMonths = [...german, ...more];
    const englishMonths = [...english, ...moreEnglish];
    fc.assert(
      fc.property(fourDigitYearDays, (date) => {
        const iso = formatIsoDate(date);
        const pad = (n: number) => String(n).padStart(2, '0');
        const texts = [
          iso,
          `${pad(date.day)}.${pad(date.month)}.${date.year}`,
          `${date.day}. ${germanMonths[date.month - 1]} ${date.year}`,
          `${englishMonths[date.month - 1]} ${date.day}, ${date.year}`,
          `${date.day} ${englishMonths[date.month - 1]} ${date.year}`,
        ];
        for (const text of texts) expect(parseDate(text, { today })).toMatchObject({ value: iso });
      }),
    );
  });

  it('keeps day and month of a date without year and moves it at most a year as preferred', () => {
    fc.assert(
      fc.property(
        todays,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        (t, month, day) => {
          const read = (prefer: 'past' | 'future' | 'nearest') => {
            const result = parseDate(`${day}.${month}.`, { today: t, prefer });
            if (!result.ok) throw new Error(result.error);
            const [y, m, d] = result.value.split('-').map(Number) as [number, number, number];
            expect([m, d]).toEqual([month, day]);
            return days(t, { year: y, month: m, day: d });
          };
          const past = read('past');
          const future = read('future');
          expect(past).toBeLessThanOrEqual(0);
          expect(past).toBeGreaterThan(-366);
          expect(future).toBeGreaterThanOrEqual(0);
          expect(future).toBeLessThan(366);
          expect(Math.abs(read('nearest'))).toBeLessThanOrEqual(Math.min(-past, future));
        },
      ),
    );
  });

  it('counts "in N Tagen" and "vor N Tagen" as N days from today', () => {
    fc.assert(
      fc.property(todays, fc.integer({ min: 0, max: 5000 }), (t, n) => {
        expect(parseDate(`in ${n} Tagen`, { today: t })).toMatchObject({
          value: formatIsoDate(addDays(t, n)),
        });
        expect(parseDate(`vor ${n} Tagen`, { today: t })).toMatchObject({
          value: formatIsoDate(addDays(t, -n)),
        });
      }),
    );
  });

  it('puts "nächsten X" one to seven days ahead and "letzten X" one to seven days back', () => {
    const names = ['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag', 'Sonntag'];
    fc.assert(
      fc.property(todays, fc.integer({ min: 0, max: 6 }), (t, index) => {
        const next = parseDate(`nächsten ${names[index]}`, { today: t });
        const last = parseDate(`letzten ${names[index]}`, { today: t });
        if (!next.ok || !last.ok) throw new Error('not parsed');
        const toDate = (iso: string) => {
          const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
          return { year, month, day };
        };
        const ahead = days(t, toDate(next.value));
        const back = days(toDate(last.value), t);
        expect(ahead).toBeGreaterThanOrEqual(1);
        expect(ahead).toBeLessThanOrEqual(7);
        expect(back).toBeGreaterThanOrEqual(1);
        expect(back).toBeLessThanOrEqual(7);
        expect((toDayNumber(toDate(next.value)) - toDayNumber(toDate(last.value))) % 7).toBe(0);
      }),
    );
  });
});
