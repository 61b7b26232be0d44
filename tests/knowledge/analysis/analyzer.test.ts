import { describe, expect, it } from 'vitest';
import { Analyzer, buildVocabulary, TERM_WEIGHTS } from '../../../knowledge/analysis/analyzer.js';
import { parseSynonyms } from '../../../knowledge/analysis/synonyms.js';

const vocabulary = buildVocabulary([
  ['Bewohnerparkausweis', 'Bewohner parken mit Ausweis'],
  ['Anmeldung einer Eheschließung', 'Standesamt'],
  ['Personalausweis beantragen'],
]);
const synonyms = parseSynonyms(`
# comment lines are ignored
Eheschließung;Hochzeit;heiraten
Personalausweis;Perso (ugs.)
Park;Grünanlage
`);
const analyzer = new Analyzer(vocabulary, synonyms);

describe('Analyzer', () => {
  it('indexes stems and compound parts of a document', () => {
    expect(analyzer.indexTerms('Bewohnerparkausweis')).toEqual([
      'bewohnerparkausweis',
      'bewohn',
      'park',
      'ausweis',
    ]);
  });

  it('weighs the user’s own words above compound parts and synonyms', () => {
    const terms = analyzer.queryTerms('Hochzeit anmelden');
    const hochzeit = terms.find((t) => t.term === 'hochzeit');
    const expansion = terms.find((t) => t.term === 'eheschliess');
    expect(hochzeit).toMatchObject({ origin: 'query', weight: TERM_WEIGHTS.query });
    expect(expansion).toMatchObject({ origin: 'synonym', from: ['hochzeit'] });
    expect(expansion!.weight).toBeLessThan(hochzeit!.weight);
  });

  it('expands colloquial words, ignoring usage notes in the synonym file', () => {
    const terms = analyzer.queryTerms('Perso verlängern').map((t) => t.term);
    expect(terms).toContain('personalausweis');
    expect(terms).not.toContain('ugs');
  });

  it('matches compound parts but does not expand them through synonyms', () => {
    const terms = analyzer.queryTerms('Bewohnerparkausweis');
    expect(terms.filter((t) => t.origin === 'compound').map((t) => t.term)).toEqual([
      'bewohn',
      'park',
      'ausweis',
    ]);
    expect(terms.map((t) => t.term)).not.toContain('grunanlag');
    expect(analyzer.queryTerms('Park').map((t) => t.term)).toContain('grunanlag');
  });

  it('rates a word the catalogue never uses as more informative than a common one', () => {
    expect(analyzer.informativeness('wett')).toBeGreaterThan(
      analyzer.informativeness('personalausweis'),
    );
  });
});

describe('parseSynonyms', () => {
  it('reads one set per line and drops sets with a single distinct term', () => {
    expect(parseSynonyms('Kfz;Auto\nPass;Pass\n\n# x')).toEqual([[['kfz'], ['auto']]]);
  });
});
