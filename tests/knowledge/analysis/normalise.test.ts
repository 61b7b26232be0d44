import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldUmlauts, normalise } from '../../../knowledge/analysis/normalise.js';
import { stem } from '../../../knowledge/analysis/stem.js';
import { tokenise } from '../../../knowledge/analysis/tokenise.js';

describe('normalise', () => {
  it('lower-cases, spells ß as ss and removes invisible characters', () => {
    expect(normalise('Eheschließung\u200b ÄMTER')).toBe('eheschliessung ämter');
  });

  it('is idempotent for any text', () => {
    fc.assert(fc.property(fc.string(), (s) => normalise(normalise(s)) === normalise(s)));
  });
});

describe('umlaut folding', () => {
  it('maps umlauts and their two-letter spellings to the same form', () => {
    expect(foldUmlauts('führerschein')).toBe(foldUmlauts('fuehrerschein'));
    expect(foldUmlauts('gebühr')).toBe('gebuhr');
  });

  it('makes Führerschein, Fuehrerschein and FÜHRERSCHEIN one stem', () => {
    const stems = ['Führerschein', 'Fuehrerschein', 'FÜHRERSCHEIN'].map((w) => stem(normalise(w)));
    expect(new Set(stems)).toEqual(new Set(['fuhrerschein']));
  });
});

describe('tokenise', () => {
  it('splits hyphenated compounds and keeps numbers', () => {
    expect(tokenise(normalise('Gewerbe-Anmeldung nach § 81, Teil II'))).toEqual([
      'gewerbe',
      'anmeldung',
      'nach',
      '81',
      'teil',
      'ii',
    ]);
  });
});

describe('stem', () => {
  it('reduces inflected forms to one Snowball stem', () => {
    expect(stem('anmeldung')).toBe(stem('anmelden'));
    expect(stem('reisepässe')).toBe(stem('reisepass'));
    expect(stem('gebühren')).toBe(stem('gebühr'));
  });

  it('leaves short words and words with digits alone', () => {
    expect(stem('kfz')).toBe('kfz');
    expect(stem('b2b')).toBe('b2b');
  });
});
