/**
 * Small builders shared by the knowledge and CLI tests: canonical services, DLDB records, the
 * demo catalogue loaded once per file, and fresh temporary data directories.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCatalogue } from '../../knowledge/catalogue.js';
import type { Catalogue, Service } from '../../knowledge/schema.js';

/** A fresh, empty temporary directory. */
export function tempDir(prefix = 'lotse-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A valid, searchable canonical service; override what the test is about. */
export function service(overrides: Partial<Service> & { id: string; name: string }): Service {
  const text = overrides.description?.text ?? `${overrides.name}: Informationen.`;
  return {
    summary: text,
    description: { text, markdown: text },
    sections: [],
    keywords: [],
    prerequisites: [],
    documents: [],
    forms: [],
    links: [],
    locations: [],
    relatedServiceIds: [],
    source: { publisher: 'Testamt', licence: 'CC0-1.0' },
    searchable: true,
    ...overrides,
  };
}

/** A catalogue of the given services. */
export function catalogueOf(services: Service[]): Catalogue {
  return toCatalogue(services, 'test');
}

/** The attribution used by importer tests. */
export const SOURCE = { publisher: 'Testamt', licence: 'CC0-1.0' } as const;

/** A minimal well-formed DLDB service record. */
export function dldbService(
  id: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id,
    name: `Leistung ${id}`,
    description: `<p>Beschreibung der Leistung ${id}.</p>`,
    ...extra,
  };
}
