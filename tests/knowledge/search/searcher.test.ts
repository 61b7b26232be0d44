import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCatalogue } from '../../../knowledge/catalogue.js';
import { loadSynonyms } from '../../../knowledge/knowledge-base.js';
import type { Catalogue } from '../../../knowledge/schema.js';
import { ServiceSearch } from '../../../knowledge/search/searcher.js';
import { catalogueOf, service } from '../fixtures.js';

let demo: Catalogue;
let search: ServiceSearch;

beforeAll(() => {
  demo = loadDemoCatalogue();
  search = ServiceSearch.create(demo, { synonyms: loadSynonyms() }).search;
});

/** Ids of the results of `s` for a query, best first. */
async function idsFor(s: ServiceSearch, query: string, limit = 5): Promise<string[]> {
  const { results } = await s.search(query, { limit });
  return results.map((r) => r.service.id);
}

describe('ServiceSearch on the Munich demo catalogue', () => {
  it('indexes only the searchable services', () => {
    const searchable = demo.services.filter((s) => s.searchable).length;
    expect(search.indexedCount).toBe(searchable);
    expect(searchable).toBeLessThan(demo.services.length);
  });

  it('ranks the identity card first for "Personalausweis beantragen" and answers', async () => {
    const r = await search.search('Personalausweis beantragen', { limit: 3 });
    expect(r.query).toBe('Personalausweis beantragen');
    expect(r.abstained).toBe(false);
    expect(r.results[0]?.service.id).toBe('1063441');
    expect(r.results).toHaveLength(3);
  });

  it('ranks the trade registration first for "Gewerbe anmelden" and answers', async () => {
    const r = await search.search('Gewerbe anmelden');
    expect(r.results[0]?.service.id).toBe('1063423');
    expect(r.results[0]?.confidence).toBeGreaterThanOrEqual(0.6);
    expect(r.abstained).toBe(false);
  });

  it('finds the identity card from the colloquial keyword "Perso"', async () => {
    expect((await idsFor(search, 'Perso'))[0]).toBe('1063441');
  });

  it('returns results in descending score order with confidences between 0 and 1', async () => {
    const { results } = await search.search('Reisepass verloren', { limit: 10 });
    expect(results.length).toBeGreaterThan(1);
    results.forEach((r, i) => {
      if (i > 0) expect(r.score).toBeLessThanOrEqual(results[i - 1]!.score);
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
    });
  });

  it('returns at most `limit` results', async () => {
    expect(await idsFor(search, 'Reisepass', 2)).toHaveLength(2);
    expect(await idsFor(search, 'Reisepass', 1)).toHaveLength(1);
  });

  it('abstains on a question the catalogue does not cover', async () => {
    expect((await search.search('Wie wird das Wetter morgen?')).abstained).toBe(true);
    expect((await search.search('xyzzy qwertz')).abstained).toBe(true);
  });

  it('abstains with no results on an empty query', async () => {
    expect(await search.search('   ')).toEqual({
      query: '   ',
      abstained: true,
      closeCall: false,
      results: [],
    });
  });

  it('abstains on "Hundesteuer" rather than answering with the car tax service', async () => {
    // Munich's demo catalogue has no dog tax service; matching only the "Steuer" part of the
    // compound must not count as answering the question.
    const r = await search.search('Hundesteuer');
    expect(r.results.map((x) => x.service.name)).not.toContain('Hundesteuer');
    expect(r.abstained).toBe(true);
  });

  it('never returns the internal "Shortlane 15 min" slot, even for its exact name', async () => {
    expect(await idsFor(search, 'Shortlane 15 min', 10)).not.toContain('10415066');
    expect(search.get('10415066')?.name).toBe('Shortlane 15 min');
  });
});

describe('ServiceSearch snapshots', () => {
  it('restores from a snapshot of the same catalogue without rebuilding', async () => {
    const snapshot = JSON.parse(JSON.stringify(search.snapshot(demo.version)));
    const restored = ServiceSearch.create(demo, { synonyms: loadSynonyms(), snapshot });
    expect(restored.rebuilt).toBe(false);
    const q = 'Gewerbe anmelden';
    const [again, original] = [await restored.search.search(q), await search.search(q)];
    // Same ranking; scores equal up to floating-point summation order.
    expect(again.results.map((r) => r.service.id)).toEqual(
      original.results.map((r) => r.service.id),
    );
    again.results.forEach((r, i) => expect(r.score).toBeCloseTo(original.results[i]!.score, 6));
    expect(again.abstained).toBe(original.abstained);
  });

  it('does not use a snapshot made for another catalogue version', () => {
    const snapshot = search.snapshot('another-version');
    expect(ServiceSearch.create(demo, { snapshot }).rebuilt).toBe(true);
  });

  it('does not use a snapshot made by another analyzer version', () => {
    const snapshot = { ...search.snapshot(demo.version), analyzerVersion: 'de-0' };
    expect(ServiceSearch.create(demo, { snapshot }).rebuilt).toBe(true);
  });

  it('rebuilds when the snapshot index is unreadable', () => {
    const snapshot = { ...search.snapshot(demo.version), index: 'not an index' };
    const { search: rebuiltSearch, rebuilt } = ServiceSearch.create(demo, { snapshot });
    expect(rebuilt).toBe(true);
    expect(rebuiltSearch.indexedCount).toBe(search.indexedCount);
  });
});

describe('ServiceSearch upsert and remove', () => {
  const names = ['Fischereischein', 'Sperrmüll', 'Baumfällung', 'Elterngeld', 'Parkausweis'];
  const services = names.map((name, i) =>
    service({
      id: `s${i}`,
      name,
      keywords: [name],
      description: { text: `${name}.`, markdown: '' },
    }),
  );

  it('adds, replaces and removes a service without a rebuild', async () => {
    const { search: s } = ServiceSearch.create(catalogueOf(services.slice(0, 2)));
    expect(s.indexedCount).toBe(2);
    s.upsert(services[2]!);
    expect((await idsFor(s, 'Baumfällung'))[0]).toBe('s2');
    s.upsert({ ...services[2]!, name: 'Baumpflege', keywords: ['Baumpflege'] });
    expect(s.indexedCount).toBe(3);
    expect(s.get('s2')?.name).toBe('Baumpflege');
    s.remove('s2');
    expect(s.indexedCount).toBe(2);
    expect(s.get('s2')).toBeUndefined();
    expect(await idsFor(s, 'Baumpflege')).toEqual([]);
  });

  it('takes a service out of search when it is replaced by an unsearchable version', async () => {
    const { search: s } = ServiceSearch.create(catalogueOf(services));
    s.upsert({ ...services[0]!, searchable: false });
    expect(await idsFor(s, 'Fischereischein')).not.toContain('s0');
    expect(s.get('s0')?.searchable).toBe(false);
  });

  it('ignores the removal of an unknown id', () => {
    const { search: s } = ServiceSearch.create(catalogueOf(services));
    s.remove('nope');
    expect(s.indexedCount).toBe(services.length);
  });

  it('finds exactly the services present after any sequence of changes (property)', async () => {
    const op = fc.record({
      index: fc.integer({ min: 0, max: services.length - 1 }),
      kind: fc.constantFrom('upsert', 'remove', 'hide'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 15 }), async (ops) => {
        const { search: s } = ServiceSearch.create(catalogueOf(services));
        const present = new Set(services.map((x) => x.id));
        for (const { index, kind } of ops) {
          const target = services[index]!;
          if (kind === 'upsert') {
            s.upsert(target);
            present.add(target.id);
          } else {
            if (kind === 'hide') s.upsert({ ...target, searchable: false });
            else s.remove(target.id);
            present.delete(target.id);
          }
        }
        expect(s.indexedCount).toBe(present.size);
        for (const target of services) {
          const found = await idsFor(s, target.name, 10);
          if (present.has(target.id)) expect(found[0]).toBe(target.id);
          else expect(found).not.toContain(target.id);
        }
      }),
      { numRuns: 60 },
    );
  });
});
