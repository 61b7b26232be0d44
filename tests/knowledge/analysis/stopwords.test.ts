import { describe, expect, it } from 'vitest';
import { INTENT_WORDS, isStopWord } from '../../../knowledge/analysis/stopwords.js';
import { analyseWords } from '../../../knowledge/analysis/words.js';

describe('stop words', () => {
  it('drops function words in German and English', () => {
    expect(['der', 'und', 'ich', 'the', 'my'].filter(isStopWord)).toEqual([
      'der',
      'und',
      'ich',
      'the',
      'my',
    ]);
  });

  it('keeps words that carry intent', () => {
    for (const word of ['nicht', 'kein', 'ohne', 'wann', 'wie', 'viel', 'wo']) {
      expect(isStopWord(word)).toBe(false);
      expect(INTENT_WORDS.has(word)).toBe(true);
    }
  });

  it('leaves the content words of a question', () => {
    expect(
      analyseWords('Wo bekomme ich einen Reisepass ohne Termin?').map((w) => w.surface),
    ).toEqual(['wo', 'reisepass', 'ohne', 'termin']);
  });
});
