import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildVocabulary } from '../../../knowledge/analysis/analyzer.js';
import { Decompounder } from '../../../knowledge/analysis/decompound.js';
import { stem } from '../../../knowledge/analysis/stem.js';

const vocabulary = buildVocabulary([
  ['Anwohner dürfen parken', 'Ausweis und Personalausweis', 'Kind und Geld', 'Antrag stellen'],
  ['Verlust melden', 'Hund halten', 'Steuer zahlen', 'Personal'],
]);
const splitter = new Decompounder(vocabulary.frequency);

describe('compound splitting', () => {
  it('splits compounds into parts the catalogue uses', () => {
    expect(splitter.split('anwohnerparkausweis')).toEqual([
      stem('anwohner'),
      stem('park'),
      stem('ausweis'),
    ]);
    expect(splitter.split('kindergeldantrag')).toEqual([
      stem('kinder'),
      stem('geld'),
      stem('antrag'),
    ]);
  });

  it('prefers the fewest parts, so known compounds stay whole', () => {
    expect(splitter.split('personalausweisverlust')).toEqual([
      stem('personalausweis'),
      stem('verlust'),
    ]);
  });

  it('allows a linking s between parts and prefers catalogue words (Hundesteuer is no hund + teuer)', () => {
    expect(splitter.split('hundesteuer')).toEqual([stem('hund'), stem('steuer')]);
  });

  it('leaves words that are not compounds of known parts alone', () => {
    expect(splitter.split('wetterbericht')).toEqual([]);
    expect(splitter.split('parken')).toEqual([]);
  });

  it('only ever returns parts from the vocabulary', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zäöü]{7,24}$/), (word) =>
        splitter.split(word).every((part) => vocabulary.frequency.has(part)),
      ),
    );
  });
});
