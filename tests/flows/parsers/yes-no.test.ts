import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseYesNo } from '../../../flows/parsers/yes-no.js';

const YES = ['ja', 'jo', 'jawohl', 'klar', 'gerne', 'ok', 'okay', 'passt', 'stimmt', 'richtig'];
const YES_EN = ['yes', 'yep', 'sure', 'of course', 'correct', "that's right"];
const NO = ['nein', 'ne', 'nö', 'auf keinen Fall', 'falsch', 'stimmt nicht', 'lieber nicht'];
const NO_EN = ['no', 'nope', 'no way', 'wrong'];
const FILLERS = ['bitte', 'danke', 'das ist', 'please', 'thanks', 'so'];

describe('parseYesNo', () => {
  it.each([
    ...YES,
    ...YES_EN,
    'Ja!',
    'JA',
    'Ja, bitte.',
    'ja gerne',
    'na klar',
    'passt so',
    'das stimmt',
    'alles klar',
    'yes please',
    'Yes, thank you!',
    '👍',
    '✅',
  ])('reads %j as yes', (text) => {
    expect(parseYesNo(text)).toEqual({ ok: true, value: true, display: 'Ja' });
  });

  it.each([
    ...NO,
    ...NO_EN,
    'Nein!',
    'nee',
    'noe',
    'nein danke',
    'Nein, das ist falsch.',
    'das stimmt nicht',
    'nicht richtig',
    'no thanks',
    'not really',
    '👎',
  ])('reads %j as no', (text) => {
    expect(parseYesNo(text)).toEqual({ ok: true, value: false, display: 'Nein' });
  });

  it.each([
    'vielleicht',
    'maybe',
    'ja nein',
    'yes no',
    'nein, die Straße ist Hauptstraße 5',
    'ja, aber die Postleitzahl ist falsch',
    'bitte',
    'nicht',
    'was kostet das?',
    '...',
  ])('does not guess for %j', (text) => {
    expect(parseYesNo(text)).toEqual({ ok: false, error: 'yes-no.unknown' });
  });

  it('reports empty input separately', () => {
    expect(parseYesNo('  ')).toEqual({ ok: false, error: 'empty' });
  });

  it('never reads an answer containing both a yes and a no as either', () => {
    const yes = fc.constantFrom(...YES, ...YES_EN);
    const no = fc.constantFrom(...NO, ...NO_EN);
    const filler = fc.array(fc.constantFrom(...FILLERS), { maxLength: 2 });
    fc.assert(
      fc.property(yes, no, filler, fc.boolean(), (y, n, f, yesFirst) => {
        const words = yesFirst ? [y, ...f, n] : [n, ...f, y];
        expect(parseYesNo(words.join(', '))).toEqual({ ok: false, error: 'yes-no.unknown' });
      }),
    );
  });

  it('keeps the answer whatever politeness surrounds it', () => {
    const answer = fc.oneof(
      fc.constantFrom(...YES, ...YES_EN).map((text) => ({ text, value: true })),
      fc.constantFrom(...NO, ...NO_EN).map((text) => ({ text, value: false })),
    );
    const filler = fc.array(fc.constantFrom(...FILLERS), { maxLength: 3 });
    fc.assert(
      fc.property(answer, filler, filler, ({ text, value }, before, after) => {
        const said = [...before, text, ...after].join(' ');
        expect(parseYesNo(`${said}!`)).toMatchObject({ ok: true, value });
      }),
    );
  });

  it('returns exactly one of yes, no or unknown for any text, with a matching display', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const result = parseYesNo(text);
        if (result.ok) expect(result.display).toBe(result.value ? 'Ja' : 'Nein');
        else expect(['yes-no.unknown', 'empty']).toContain(result.error);
      }),
    );
  });
});
