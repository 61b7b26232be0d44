/**
 * Opens the knowledge layer from a data directory: the catalogue (or the bundled demo), the
 * synonym files, and the search index, reusing the index snapshot when the catalogue and the
 * analysis are unchanged. CLI and server both start here.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSynonymFile, type SynonymSet } from './analysis/synonyms.js';
import { loadCatalogue, withSupplement } from './catalogue.js';
import type { Catalogue } from './schema.js';
import { DenseRetriever, type DenseCacheReport } from './search/dense/dense-retriever.js';
import { createTransformersEmbedder } from './search/dense/transformers-embedder.js';
import type { IndexSnapshot } from './search/service-index.js';
import { denseText, ServiceSearch } from './search/searcher.js';

/** The synonym files shipped with Lotse; operators add their own with `synonymFiles`. */
export const BUNDLED_SYNONYM_FILES = [
  'curated.txt',
  'english-german.txt',
  'openthesaurus-derived.txt',
].map((f) => resolve(dirname(fileURLToPath(import.meta.url)), 'data', 'synonyms', f));

export interface KnowledgeOptions {
  dataDir: string;
  /** Synonym files to use instead of the bundled ones. */
  synonymFiles?: string[];
  /** Write the index snapshot (and dense vectors) into the data directory (default true). */
  persistSnapshot?: boolean;
  /** A local sentence-embedding model directory; dense retrieval is off without one. */
  embeddingModel?: string;
}

export interface KnowledgeBase {
  catalogue: Catalogue;
  search: ServiceSearch;
  /** True when the index was restored from a snapshot instead of being built. */
  fromSnapshot: boolean;
  /** How dense retrieval started: off, or where the service vectors came from. */
  dense: 'off' | DenseCacheReport['outcome'];
}

function snapshotPath(dataDir: string): string {
  return join(dataDir, 'index-snapshot.json');
}

function readSnapshot(file: string): IndexSnapshot | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as IndexSnapshot;
  } catch {
    return undefined; // A damaged snapshot is only a cache: rebuild.
  }
}

/** Loads all synonym sets from the given files; a missing file is an error naming it. */
export function loadSynonyms(files: string[] = BUNDLED_SYNONYM_FILES): SynonymSet[] {
  return files.flatMap((f) => readSynonymFile(f));
}

/** Opens catalogue and search for a data directory, with dense retrieval when a model is set. */
export async function openKnowledge(options: KnowledgeOptions): Promise<KnowledgeBase> {
  const catalogue = withSupplement(loadCatalogue(options.dataDir));
  const file = snapshotPath(options.dataDir);
  const { search, rebuilt } = ServiceSearch.create(catalogue, {
    synonyms: loadSynonyms(options.synonymFiles),
    ...(options.persistSnapshot === false ? {} : { snapshot: readSnapshot(file) }),
  });
  if (rebuilt && options.persistSnapshot !== false) {
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify(search.snapshot(catalogue.version)));
      renameSync(`${file}.tmp`, file);
    } catch {
      // A read-only data directory only costs the next start a rebuild.
    }
  }
  let dense: KnowledgeBase['dense'] = 'off';
  if (options.embeddingModel) {
    const embedder = await createTransformersEmbedder(options.embeddingModel);
    const retriever = await DenseRetriever.create(
      embedder,
      catalogue.services.filter((s) => s.searchable).map((s) => ({ id: s.id, text: denseText(s) })),
      options.persistSnapshot === false ? undefined : join(options.dataDir, 'vectors'),
      catalogue.version,
    );
    search.useDense(retriever);
    dense = retriever.cache.outcome;
  }
  return { catalogue, search, fromSnapshot: !rebuilt, dense };
}
