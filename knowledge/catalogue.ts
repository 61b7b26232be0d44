/**
 * Loading and persisting the service catalogue. An operator's imported catalogue lives in the data
 * directory as `catalogue.json`; without one, the bundled Munich demo catalogue is used so that a
 * fresh checkout runs with nothing else.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { KnowledgeError } from './errors.js';
import { importDldb, type ImportResult } from './importers/dldb.js';
import { CatalogueSchema, ServiceSchema, type Catalogue, type Service } from './schema.js';

/** Directory of the bundled demo catalogue (DLDB files plus manifest and provenance). */
export const DEMO_CATALOGUE_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  'data',
  'munich',
);
const CATALOGUE_FILE = 'catalogue.json';

const ManifestSchema = z.object({
  format: z.literal('dldb'),
  services: z.string(),
  locations: z.string().optional(),
  publisher: z.string(),
  licence: z.string(),
});

/** Reads and parses a JSON file, with an error naming the file and the position of a syntax error. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new KnowledgeError(
      'LOTSE_CATALOGUE_NOT_FOUND',
      `cannot read ${file}: ${(cause as Error).message}`,
      { cause },
    );
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new KnowledgeError(
      'LOTSE_CATALOGUE_INVALID_JSON',
      `${file} is not valid JSON: ${(cause as Error).message}`,
      { cause },
    );
  }
}

/** A content hash of the services: indexes and vector caches are keyed by it. */
export function catalogueVersion(services: Service[]): string {
  return createHash('sha256').update(JSON.stringify(services)).digest('hex').slice(0, 16);
}

/** Wraps imported services into a catalogue with its version. */
export function toCatalogue(services: Service[], origin: string): Catalogue {
  return {
    format: 'lotse-catalogue/1',
    version: catalogueVersion(services),
    importedAt: new Date().toISOString(),
    origin,
    services,
  };
}

/** Imports DLDB files from disk; bad records are reported in the result, never thrown. */
export function importDldbFiles(options: {
  servicesFile: string;
  locationsFile?: string;
  publisher: string;
  licence: string;
}): ImportResult {
  return importDldb({
    services: { file: options.servicesFile, json: readJsonFile(options.servicesFile) },
    ...(options.locationsFile
      ? { locations: { file: options.locationsFile, json: readJsonFile(options.locationsFile) } }
      : {}),
    source: { publisher: options.publisher, licence: options.licence },
  });
}

/** Imports the bundled Munich demo catalogue. */
export function loadDemoCatalogue(): Catalogue & { problems: ImportResult['problems'] } {
  const manifest = ManifestSchema.parse(readJsonFile(join(DEMO_CATALOGUE_DIR, 'manifest.json')));
  const result = importDldbFiles({
    servicesFile: join(DEMO_CATALOGUE_DIR, manifest.services),
    ...(manifest.locations ? { locationsFile: join(DEMO_CATALOGUE_DIR, manifest.locations) } : {}),
    publisher: manifest.publisher,
    licence: manifest.licence,
  });
  return { ...toCatalogue(result.services, 'demo:munich'), problems: result.problems };
}

/** Path of the persisted catalogue in a data directory. */
export function cataloguePath(dataDir: string): string {
  return join(dataDir, CATALOGUE_FILE);
}

/**
 * Loads the catalogue from the data directory, or the bundled demo when there is none.
 * A damaged catalogue file is an error (never silently replaced by the demo).
 */
export function loadCatalogue(dataDir: string): Catalogue {
  const file = cataloguePath(dataDir);
  if (!existsSync(file)) {
    const { problems: _problems, ...demo } = loadDemoCatalogue();
    return demo;
  }
  const parsed = CatalogueSchema.safeParse(readJsonFile(file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KnowledgeError(
      'LOTSE_CATALOGUE_INVALID',
      `${file} is not a Lotse catalogue: field "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}; import it again with "lotse import"`,
    );
  }
  return parsed.data;
}

const SupplementSchema = z.object({
  format: z.literal('lotse-supplement/1'),
  services: z.array(ServiceSchema),
});

/** Directory of Lotse's own catalogue entries (services its flows apply for; see PROVENANCE.md). */
export const SUPPLEMENT_FILE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  'data',
  'supplement',
  'services.json',
);

/**
 * Adds Lotse's supplementary services (e.g. Kindergeld, which the Munich catalogue lacks but a
 * flow applies for) to a catalogue that has no service with the same id.
 */
export function withSupplement(catalogue: Catalogue, file = SUPPLEMENT_FILE): Catalogue {
  const supplement = SupplementSchema.parse(readJsonFile(file));
  const known = new Set(catalogue.services.map((s) => s.id));
  const added = supplement.services.filter((s) => !known.has(s.id));
  if (!added.length) return catalogue;
  const services = [...catalogue.services, ...added];
  return { ...catalogue, services, version: catalogueVersion(services) };
}

/** Writes the catalogue atomically (temporary file, then rename), so a crash never leaves half a file. */
export function saveCatalogue(dataDir: string, catalogue: Catalogue): string {
  const file = cataloguePath(dataDir);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(catalogue));
  renameSync(tmp, file);
  return file;
}
