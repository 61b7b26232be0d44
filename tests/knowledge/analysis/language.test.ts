import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../knowledge/analysis/language.js';

describe('detectLanguage', () => {
  it.each([
    ['Was kostet ein Personalausweis?', 'de'],
    ['Wo kann ich mich ummelden?', 'de'],
    ['Führerschein umschreiben', 'de'],
    ['How much does a passport cost?', 'en'],
    ['I need to register my residence', 'en'],
    ['Where do I get a birth certificate?', 'en'],
  ])('%s → %s', (text, language) => {
    expect(detectLanguage(text)).toBe(language);
  });
});
