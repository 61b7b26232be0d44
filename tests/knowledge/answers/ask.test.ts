import { beforeAll, describe, expect, it } from 'vitest';
import { ask } from '../../../knowledge/answers/ask.js';
import { answerFacet } from '../../../knowledge/answers/answer.js';
import { loadDemoCatalogue } from '../../../knowledge/catalogue.js';
import { loadSynonyms } from '../../../knowledge/knowledge-base.js';
import type { Service } from '../../../knowledge/schema.js';
import { ServiceSearch } from '../../../knowledge/search/searcher.js';

let search: ServiceSearch;
let services: Service[];

beforeAll(() => {
  const catalogue = loadDemoCatalogue();
  services = catalogue.services;
  search = ServiceSearch.create(catalogue, { synonyms: loadSynonyms() }).search;
});

describe('ask', () => {
  it('answers "Was kostet ein Personalausweis?" with the catalogue fee text and the source link', async () => {
    const result = await ask(search, 'Was kostet ein Personalausweis?');
    const personalausweis = services.find((s) => s.id === '1063441')!;
    expect(result.abstained).toBe(false);
    expect(result.answer).toMatchObject({
      facet: 'fees',
      available: true,
      service: { id: '1063441' },
    });
    expect(result.answer!.markdown).toBe(personalausweis.fees!.markdown);
    expect(result.answer!.markdown).toContain('27,60 Euro');
    expect(result.answer!.source.url).toContain('1063441');
    expect(result.answer!.source.publisher).toBe('Landeshauptstadt München');
  });

  it('abstains on "Wie wird das Wetter morgen?" and names no service as the answer', async () => {
    const result = await ask(search, 'Wie wird das Wetter morgen?');
    expect(result.abstained).toBe(true);
    expect(result.answer).toBeUndefined();
  });

  it('answers English questions about German services in English', async () => {
    const result = await ask(search, 'Where do I register my residence?');
    expect(result.language).toBe('en');
    expect(result.answer?.service.id).toBe('1063475');
    expect(result.answer?.facet).toBe('locations');
    expect(result.answer?.markdown).toContain('Phone 089');
  });

  it('offers candidates when several services fit about equally well', async () => {
    const result = await ask(search, 'Eheschließung anmelden');
    expect(
      result.candidates
        .map((c) => c.id)
        .slice(0, 2)
        .sort(),
    ).toEqual(['10396802', '1063648']);
  });
});

describe('answerFacet', () => {
  it('says the catalogue has no fee information instead of inventing one', () => {
    const noFees = services.find((s) => s.searchable && !s.fees)!;
    const answer = answerFacet(noFees, 'fees', 1, 'de');
    expect(answer.available).toBe(false);
    expect(answer.markdown).toBe('Zu den Gebühren enthält der Katalog keine Angabe.');
  });

  it('lists appointment and online links for the online facet', () => {
    const gewerbe = services.find((s) => s.id === '1063423')!;
    const answer = answerFacet(gewerbe, 'online', 1, 'en');
    expect(answer.links).toEqual([{ title: 'Book an appointment', url: gewerbe.appointmentUrl }]);
  });

  it('gives the appointment length for the duration facet', () => {
    const reisepass = services.find((s) => s.id === '1063453')!;
    const answer = answerFacet(reisepass, 'duration', 1, 'de');
    expect(answer.markdown).toBe(
      `Für den Termin sind etwa ${reisepass.duration!.minutes} Minuten vorgesehen.`,
    );
  });
});
