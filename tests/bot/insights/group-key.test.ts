import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_GROUP_KEY_LENGTH,
  NO_WORDS_KEY,
  questionGroupKey,
} from '../../../bot/insights/group-key.js';

describe('questionGroupKey', () => {
  it.each([
    ['Hundesteuer zahlen', 'zahle Hundesteuer'],
    ['Hundesteuer zahlen', 'Was kostet die Hundesteuer?'],
    ['Hundesteuer zahlen', 'HUNDESTEUER'],
    ['Führerschein verloren', 'fuehrerschein verloren!'],
    ['Reisepass Gebühren', 'Wie viel kostet ein Reisepass?'],
    ['Wo muss ich meinen Hund anmelden?', 'Hund anmelden wo'],
    ['Kita-Platz gesucht', 'gesucht: Kita Platz'],
    ['Hundesteuer anna@example.org', 'Hundesteuer'],
    ['Hundesteuer 2024', 'Hundesteuer 2023'],
  ])('gives %j the same key as %j', (a, b) => {
    expect(questionGroupKey(a)).toBe(questionGroupKey(b));
  });

  it.each([
    ['Hundesteuer zahlen', 'hundesteu'],
    ['Führerschein verloren', 'fuhrerschein verlor'],
    ['gesucht: Kita-Platz', 'gesucht kita platz'],
    ['Was kostet das?', 'kostet'],
    ['Hallo!', 'hallo'],
  ])('keys %j as %j', (text, key) => {
    expect(questionGroupKey(text)).toBe(key);
  });

  it.each([
    ['Hundesteuer zahlen', 'Reisepass zahlen'],
    ['Personalausweis verloren', 'Personalausweis beantragen'],
    ['Kita-Platz', 'Parkausweis'],
  ])('keeps %j and %j apart', (a, b) => {
    expect(questionGroupKey(a)).not.toBe(questionGroupKey(b));
  });

  it.each(['???', '', '   ', '😀😀', '12345', 'anna@example.org'])(
    'gives %j, which has no words, the placeholder key',
    (text) => {
      expect(questionGroupKey(text)).toBe(NO_WORDS_KEY);
    },
  );

  const words = fc.constantFrom(
    'Hundesteuer',
    'zahlen',
    'Reisepass',
    'verloren',
    'Kita',
    'Platz',
    'wie',
    'wo',
    'ich',
    'beantragen',
    'Führerschein',
    'kostet',
  );

  it('does not depend on word order', () => {
    fc.assert(
      fc.property(
        fc
          .array(words, { minLength: 1, maxLength: 8 })
          .chain((list) =>
            fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })),
          ),
        ([list, shuffled]) => {
          expect(questionGroupKey(shuffled.join(' '))).toBe(questionGroupKey(list.join(' ')));
        },
      ),
    );
  });

  it('is sorted, without duplicates, digits or personal data, never empty and bounded', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(words, fc.string(), fc.emailAddress()), { maxLength: 60 }),
        (parts) => {
          const key = questionGroupKey(parts.join(' '));
          expect(key.length).toBeGreaterThan(0);
          expect(key.length).toBeLessThanOrEqual(MAX_GROUP_KEY_LENGTH);
          expect(key).not.toMatch(/\d|@/);
          if (key === NO_WORDS_KEY) return;
          const stems = key.split(' ');
          expect(stems).toEqual([...new Set(stems)].sort());
        },
      ),
    );
  });

  it('keys a question the same before and after masking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(words, fc.emailAddress(), fc.nat().map(String)), { maxLength: 10 }),
        (parts) => {
          const text = parts.join(' ');
          expect(questionGroupKey(text)).toBe(questionGroupKey(text.replace(/\S+@\S+/g, 'x@y.de')));
        },
      ),
    );
  });
});
