/**
 * The words dates are written with, in German and English, keyed in the folded form of
 * `foldGerman` (lower case, ä → ae, ß → ss). Listed as data so that a missing spelling is a
 * one-line fix.
 */

/** Month names and abbreviations → month number. Includes Austrian "Jänner" and "Feber". */
export const MONTHS: ReadonlyMap<string, number> = new Map(
  (
    [
      [1, 'januar jaenner jan january'],
      [2, 'februar feber feb february'],
      [3, 'maerz marz maer mrz mar march'],
      [4, 'april apr'],
      [5, 'mai may'],
      [6, 'juni jun june'],
      [7, 'juli jul july'],
      [8, 'august aug'],
      [9, 'september sep sept'],
      [10, 'oktober okt october oct'],
      [11, 'november nov'],
      [12, 'dezember dez december dec'],
    ] as const
  ).flatMap(([month, names]) => names.split(' ').map((name) => [name, month] as const)),
);

/** Weekday names and abbreviations → ISO weekday (1 = Monday). */
export const WEEKDAYS: ReadonlyMap<string, number> = new Map(
  (
    [
      [1, 'montag mo monday mon'],
      [2, 'dienstag di tuesday tue tues'],
      [3, 'mittwoch mi wednesday wed'],
      [4, 'donnerstag do thursday thu thurs'],
      [5, 'freitag fr friday fri'],
      [6, 'samstag sonnabend sa saturday sat'],
      [7, 'sonntag so sunday sun'],
    ] as const
  ).flatMap(([weekday, names]) => names.split(' ').map((name) => [name, weekday] as const)),
);

/** Days relative to today that have their own word. */
export const DAY_WORDS: ReadonlyMap<string, number> = new Map([
  ['heute', 0],
  ['today', 0],
  ['morgen', 1],
  ['tomorrow', 1],
  ['uebermorgen', 2],
  ['ubermorgen', 2],
  ['the day after tomorrow', 2],
  ['day after tomorrow', 2],
  ['gestern', -1],
  ['yesterday', -1],
  ['vorgestern', -2],
  ['the day before yesterday', -2],
  ['day before yesterday', -2],
]);

/** Counts written as words ("in drei Tagen", "two weeks ago"); "einem"/"a" mean one. */
export const NUMBER_WORDS: ReadonlyMap<string, number> = new Map(
  (
    [
      [1, 'ein eine einen einem einer eins a an one'],
      [2, 'zwei two'],
      [3, 'drei three'],
      [4, 'vier four'],
      [5, 'fuenf funf five'],
      [6, 'sechs six'],
      [7, 'sieben seven'],
      [8, 'acht eight'],
      [9, 'neun nine'],
      [10, 'zehn ten'],
      [11, 'elf eleven'],
      [12, 'zwoelf zwolf twelve'],
    ] as const
  ).flatMap(([n, names]) => names.split(' ').map((name) => [name, n] as const)),
);

/** A unit of relative dates: a number of days or of calendar months. */
export type DateUnit = { days: number } | { months: number };

/** Unit words in singular, plural and German dative plural. */
export const UNIT_WORDS: ReadonlyMap<string, DateUnit> = new Map(
  (
    [
      [{ days: 1 }, 'tag tage tagen day days'],
      [{ days: 7 }, 'woche wochen week weeks'],
      [{ months: 1 }, 'monat monate monaten month months'],
      [{ months: 12 }, 'jahr jahre jahren year years'],
    ] as const
  ).flatMap(([unit, names]) => names.split(' ').map((name) => [name, unit] as const)),
);

/**
 * Words before a weekday and the days they allow from today: "nächsten Montag" is 1–7 days ahead,
 * "diesen Montag" 0–6, "letzten Montag" 1–7 back.
 */
export const WEEKDAY_MODIFIERS: ReadonlyMap<string, 'next' | 'this' | 'last'> = new Map(
  (
    [
      ['next', 'naechsten naechster naechste kommenden kommender kommende next coming'],
      ['this', 'diesen dieser diese this'],
      ['last', 'letzten letzter letzte vergangenen vergangener vergangene last past previous'],
    ] as const
  ).flatMap(([kind, names]) => names.split(' ').map((name) => [name, kind] as const)),
);
