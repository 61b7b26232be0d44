import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCatalogue } from '../../../knowledge/catalogue.js';
import {
  deriveSynonyms,
  OPENTHESAURUS_HEADER,
} from '../../../knowledge/importers/openthesaurus.js';
import type { Service } from '../../../knowledge/schema.js';

let services: Service[];
beforeAll(() => {
  services = loadDemoCatalogue().services;
});

const THESAURUS = `# OpenThesaurus - German Thesaurus in text format
Personalausweis;Perso (ugs.);Lichtbildausweis
Trauung;Eheschließung;Hochzeit;Heirat (Hauptform)
Gitarre;Klampfe;Zupfinstrument
schnell;rasch;zügig
Verlust;Einbuße;Schwund
Sterbeurkunde;Todesurkunde`;

describe('deriveSynonyms', () => {
  it('keeps noun sets that touch the catalogue’s service names and keywords', () => {
    const lines = deriveSynonyms(THESAURUS, services).split('\n');
    expect(lines).toContain('Personalausweis;Perso;Lichtbildausweis');
    expect(lines).toContain('Sterbeurkunde;Todesurkunde');
  });

  it('drops sets unrelated to the catalogue, sets of verbs or adjectives, and sets anchored on very common words', () => {
    const text = deriveSynonyms(THESAURUS, services);
    expect(text).not.toContain('Klampfe');
    expect(text).not.toContain('rasch');
    expect(text).not.toContain('Schwund');
  });

  it('starts with the LGPL attribution', () => {
    expect(deriveSynonyms(THESAURUS, services).startsWith(OPENTHESAURUS_HEADER)).toBe(true);
    expect(OPENTHESAURUS_HEADER).toContain('LGPL');
  });
});
