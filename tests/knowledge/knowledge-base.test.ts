import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveCatalogue } from '../../knowledge/catalogue.js';
import { loadSynonyms, openKnowledge } from '../../knowledge/knowledge-base.js';
import { catalogueOf, service, tempDir } from './fixtures.js';

const snapshotFile = (dir: string) => join(dir, 'index-snapshot.json');

/** A data directory holding a small imported catalogue, so tests need not load the demo. */
function smallDataDir(): string {
  const dir = tempDir();
  saveCatalogue(
    dir,
    catalogueOf([
      service({ id: 'a', name: 'Angelschein', keywords: ['Fischen'] }),
      service({ id: 'b', name: 'Sperrmüll', keywords: ['Abholung'] }),
    ]),
  );
  return dir;
}

describe('openKnowledge', () => {
  it('opens the demo catalogue for an empty data directory and writes an index snapshot', async () => {
    const dir = tempDir();
    const kb = await openKnowledge({ dataDir: dir });
    // The 287 Munich services plus Lotse's supplementary Kindergeld entry.
    expect(kb.catalogue.services).toHaveLength(288);
    expect(kb.catalogue.services.at(-1)?.id).toBe('lotse-kindergeld');
    expect(kb.fromSnapshot).toBe(false);
    const snapshot = JSON.parse(readFileSync(snapshotFile(dir), 'utf8'));
    expect(snapshot.catalogueVersion).toBe(kb.catalogue.version);
  });

  it('reuses the snapshot on the second open and finds the same services', async () => {
    const dir = smallDataDir();
    const first = await openKnowledge({ dataDir: dir });
    const second = await openKnowledge({ dataDir: dir });
    expect(first.fromSnapshot).toBe(false);
    expect(second.fromSnapshot).toBe(true);
    expect(second.search.indexedCount).toBe(3); // two imported plus the supplementary Kindergeld
    const q = 'Angelschein';
    expect(await second.search.search(q)).toEqual(await first.search.search(q));
  });

  it('rebuilds and rewrites a damaged snapshot', async () => {
    const dir = smallDataDir();
    writeFileSync(snapshotFile(dir), '{ damaged');
    expect((await openKnowledge({ dataDir: dir })).fromSnapshot).toBe(false);
    expect((await openKnowledge({ dataDir: dir })).fromSnapshot).toBe(true);
  });

  it('rebuilds when the catalogue changed since the snapshot was written', async () => {
    const dir = smallDataDir();
    await openKnowledge({ dataDir: dir });
    saveCatalogue(dir, catalogueOf([service({ id: 'c', name: 'Fischereischein' })]));
    const kb = await openKnowledge({ dataDir: dir });
    expect(kb.fromSnapshot).toBe(false);
    const { results } = await kb.search.search('Fischereischein');
    expect(results.map((r) => r.service.id)).toEqual(['c']);
  });

  it('writes no snapshot when persistence is turned off', async () => {
    const dir = smallDataDir();
    const kb = await openKnowledge({ dataDir: dir, persistSnapshot: false });
    expect(kb.fromSnapshot).toBe(false);
    expect(existsSync(snapshotFile(dir))).toBe(false);
  });

  it('uses the synonym files it is given', async () => {
    const dir = smallDataDir();
    const synonyms = join(dir, 'synonyms.txt');
    writeFileSync(synonyms, '# test\nAngelschein;Quokkalizenz\n');
    const without = await openKnowledge({ dataDir: dir, persistSnapshot: false });
    expect((await without.search.search('Quokkalizenz')).abstained).toBe(true);
    const kb = await openKnowledge({ dataDir: dir, synonymFiles: [synonyms] });
    const found = await kb.search.search('Quokkalizenz');
    expect(found.abstained).toBe(false);
    expect(found.results[0]?.service.id).toBe('a');
  });
});

describe('loadSynonyms', () => {
  it('reads the bundled synonym files', () => {
    expect(loadSynonyms().length).toBeGreaterThan(10);
  });

  it('fails for a configured synonym file that does not exist', () => {
    expect(() => loadSynonyms([join(tempDir(), 'missing.txt')])).toThrow(/missing\.txt/);
  });
});
