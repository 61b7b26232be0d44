import { describe, expect, it } from 'vitest';
import { PARSE_ERROR_CODES } from '../../../flows/parsers/result.js';
import { PARSE_ERROR_TEXTS, parseErrorText } from '../../../flows/parsers/texts.js';

describe('parse error texts', () => {
  it('has a German and an English sentence for every error code', () => {
    expect(Object.keys(PARSE_ERROR_TEXTS).sort()).toEqual([...PARSE_ERROR_CODES].sort());
    for (const code of PARSE_ERROR_CODES) {
      expect(parseErrorText(code, 'de')).toMatch(/^\p{Lu}.*[.“”]$/u);
      expect(parseErrorText(code, 'en')).toMatch(/^\p{Lu}.*[.“”]$/u);
      expect(parseErrorText(code, 'de')).not.toBe(parseErrorText(code, 'en'));
    }
  });

  it('gives each code its own German message, so citizens learn what exactly is wrong', () => {
    const german = PARSE_ERROR_CODES.map((code) => parseErrorText(code, 'de'));
    expect(new Set(german).size).toBe(german.length);
  });

  it('explains a wrong IBAN check digit in both languages', () => {
    expect(parseErrorText('iban.checksum', 'de')).toBe(
      'Die IBAN ist nicht gültig (Prüfziffer falsch). Bitte prüfen Sie die Eingabe.',
    );
    expect(parseErrorText('iban.checksum', 'en')).toBe(
      'This IBAN is not valid (wrong check digits). Please check it.',
    );
  });
});
