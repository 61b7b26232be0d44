import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  catalogueVersion,
  cataloguePath,
  loadCatalogue,
  loadDemoCatalogue,
  withSupplement,
  readJsonFile,
  saveCatalogue,
} from '../../knowledge/catalogue.js';
import { KnowledgeError } from '../../knowledge/errors.js';
import { CatalogueSchema } from '../../knowledge/schema.js';
import { catalogueOf, service, tempDir } from './fixtures.js';

let demo: ReturnType<typeof loadDemoCatalogue>;

beforeAll(() => {
  demo = loadDemoCatalogue();
});

/** Runs `fn` and returns the KnowledgeError it throws. */
function knowledgeError(fn: () => unknown): KnowledgeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof KnowledgeError) return e;
    throw e;
  }
  throw new Error('expected a KnowledgeError, but nothing was thrown');
}

describe('loadDemoCatalogue', () => {
  it('imports all 287 Munich services without a problem', () => {
    expect(demo.services).toHaveLength(287);
    expect(demo.problems).toEqual([]);
    expect(demo.origin).toBe('demo:munich');
  });

  it('produces a valid Lotse catalogue', () => {
    const { problems: _problems, ...catalogue } = demo;
    expect(CatalogueSchema.safeParse(catalogue).success).toBe(true);
  });

  it('carries the publisher and licence from the manifest into every service', () => {
    const sources = new Set(demo.services.map((s) => `${s.source.publisher}|${s.source.licence}`));
    expect([...sources]).toEqual(['Landeshauptstadt München|EUPL-1.2']);
  });

  it('imports the identity card service with its keywords and locations', () => {
    const perso = demo.services.find((s) => s.id === '1063441');
    expect(perso?.name).toBe('Personalausweis');
    expect(perso?.keywords).toContain('Perso');
    expect(perso?.locations.length).toBeGreaterThan(0);
    expect(perso?.searchable).toBe(true);
  });

  it('keeps the internal "Shortlane 15 min" slot but makes it unsearchable', () => {
    const slot = demo.services.find((s) => s.id === '10415066');
    expect(slot?.name).toBe('Shortlane 15 min');
    expect(slot?.searchable).toBe(false);
  });

  it('lets no raw HTML tag into any description of the real data', () => {
    const rawTag = /(^|[^\\])<\/?[a-z]/i;
    const offenders = demo.services.filter(
      (s) => rawTag.test(s.description.markdown) || s.sections.some((x) => rawTag.test(x.markdown)),
    );
    expect(offenders.map((s) => s.id)).toEqual([]);
  });
});

describe('loadCatalogue', () => {
  it('falls back to the demo catalogue when the data directory has no catalogue.json', () => {
    const catalogue = loadCatalogue(tempDir());
    expect(catalogue.services).toHaveLength(287);
    expect(catalogue.version).toBe(demo.version);
    expect('problems' in catalogue).toBe(false);
  });

  it('reads back a saved catalogue unchanged', () => {
    const dir = tempDir();
    const saved = catalogueOf([service({ id: 'a', name: 'Angelschein' })]);
    const file = saveCatalogue(dir, saved);
    expect(file).toBe(join(dir, 'catalogue.json'));
    expect(loadCatalogue(dir)).toEqual(saved);
  });

  it('leaves no temporary file behind after saving', () => {
    const dir = tempDir();
    saveCatalogue(dir, catalogueOf([service({ id: 'a', name: 'Angelschein' })]));
    expect(readdirSync(dir)).toEqual(['catalogue.json']);
  });

  it('creates a missing data directory when saving', () => {
    const dir = join(tempDir(), 'nested', 'data');
    saveCatalogue(dir, catalogueOf([service({ id: 'a', name: 'Angelschein' })]));
    expect(existsSync(cataloguePath(dir))).toBe(true);
  });

  it('rejects a catalogue.json that is not JSON, naming the file', () => {
    const dir = tempDir();
    writeFileSync(cataloguePath(dir), '{ "format": ');
    const error = knowledgeError(() => loadCatalogue(dir));
    expect(error.code).toBe('LOTSE_CATALOGUE_INVALID_JSON');
    expect(error.message).toContain(cataloguePath(dir));
  });

  it('rejects a catalogue.json of the wrong shape, naming the file and the field', () => {
    const dir = tempDir();
    const broken = { ...catalogueOf([service({ id: 'a', name: 'Angelschein' })]), format: 'x' };
    writeFileSync(cataloguePath(dir), JSON.stringify(broken));
    const error = knowledgeError(() => loadCatalogue(dir));
    expect(error.code).toBe('LOTSE_CATALOGUE_INVALID');
    expect(error.message).toContain(cataloguePath(dir));
    expect(error.message).toContain('"format"');
  });

  it('never replaces a damaged catalogue with the demo', () => {
    const dir = tempDir();
    writeFileSync(cataloguePath(dir), JSON.stringify({ services: [] }));
    expect(() => loadCatalogue(dir)).toThrow(KnowledgeError);
  });
});

describe('readJsonFile', () => {
  it('reports a missing file with its path', () => {
    const file = join(tempDir(), 'missing.json');
    const error = knowledgeError(() => readJsonFile(file));
    expect(error.code).toBe('LOTSE_CATALOGUE_NOT_FOUND');
    expect(error.message).toContain(file);
  });

  it('parses a JSON file', () => {
    const file = join(tempDir(), 'x.json');
    writeFileSync(file, '{"a":[1,2]}');
    expect(readJsonFile(file)).toEqual({ a: [1, 2] });
  });
});

describe('catalogueVersion', () => {
  const services = [service({ id: 'a', name: 'Angelschein' })];

  it('is a 16-digit hex hash that is the same for the same services', () => {
    expect(catalogueVersion(services)).toMatch(/^[0-9a-f]{16}$/);
    expect(catalogueVersion(structuredClone(services))).toBe(catalogueVersion(services));
  });

  it('changes when any service changes', () => {
    const changed = [{ ...services[0]!, name: 'Jagdschein' }];
    expect(catalogueVersion(changed)).not.toBe(catalogueVersion(services));
  });
});

describe('supplementary services', () => {
  it('adds Kindergeld, which the Munich catalogue lacks, once and with its source', () => {
    const demo = loadDemoCatalogue();
    const extended = withSupplement(demo);
    const kindergeld = extended.services.find((s) => s.id === 'lotse-kindergeld');
    expect(kindergeld).toMatchObject({
      name: 'Kindergeld',
      searchable: true,
      leikaKey: '99041008017000',
    });
    expect(kindergeld?.source.url).toBe('https://sozialplattform.de/inhalt/kindergeld');
    expect(extended.version).not.toBe(demo.version);
    expect(withSupplement(extended).services).toHaveLength(extended.services.length);
  });
});
