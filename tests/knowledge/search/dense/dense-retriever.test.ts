import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DenseRetriever } from '../../../../knowledge/search/dense/dense-retriever.js';
import type { Embedder } from '../../../../knowledge/search/dense/embedder.js';
import {
  createTransformersEmbedder,
  type TransformersEmbedder,
} from '../../../../knowledge/search/dense/transformers-embedder.js';
import { writeTinyEmbeddingModelToTemp } from '../../../fixtures/tiny-embedding-model.js';

const services = [
  { id: 'perso', text: 'Personalausweis beantragen' },
  { id: 'pass', text: 'Reisepass beantragen' },
  { id: 'hund', text: 'Hundesteuer anmelden' },
  { id: 'wohnsitz', text: 'Wohnsitz anmelden oder ummelden' },
  { id: 'kfz', text: 'Kraftfahrzeug zulassen' },
  { id: 'kita', text: 'Kindertagesstätte Platz suchen' },
];

/** Wraps an embedder and records every call, to tell cached from computed vectors. */
class CountingEmbedder implements Embedder {
  readonly calls: string[][] = [];
  constructor(private readonly inner: Embedder) {}
  get id(): string {
    return this.inner.id;
  }
  embed(texts: string[]): Promise<Float32Array[]> {
    this.calls.push(texts);
    return this.inner.embed(texts);
  }
}

describe('dense retrieval', () => {
  let model: TransformersEmbedder;
  let embedder: CountingEmbedder;
  let cacheDir: string;

  beforeAll(async () => {
    model = await createTransformersEmbedder(await writeTinyEmbeddingModelToTemp());
  });

  beforeEach(async () => {
    embedder = new CountingEmbedder(model);
    cacheDir = await mkdtemp(join(tmpdir(), 'lotse-dense-'));
  });

  afterEach(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  afterAll(async () => {
    await model.dispose();
    await rm(dirname(model.modelDir), { recursive: true, force: true });
  });

  it('ranks the service whose text matches the question first, by descending similarity', async () => {
    const retriever = await DenseRetriever.create(embedder, services, undefined, 'v1');
    const hits = await retriever.rank('Personalausweis', 3);
    expect(hits).toHaveLength(3);
    expect(hits[0]!.id).toBe('perso');
    expect(hits[0]!.similarity).toBeGreaterThan(0.9);
    expect(hits[0]!.similarity).toBeGreaterThan(hits[1]!.similarity);
    expect(hits[1]!.similarity).toBeGreaterThanOrEqual(hits[2]!.similarity);
    expect((await retriever.rank('Kraftfahrzeug zulassen', 1))[0]).toMatchObject({ id: 'kfz' });
    expect(retriever.size).toBe(6);
    expect(retriever.dimension).toBe(128);
  });

  it('gives a similarity of 1 to a service whose text is the question', async () => {
    const retriever = await DenseRetriever.create(embedder, services, undefined, 'v1');
    const [hit] = await retriever.rank('Hundesteuer anmelden', 1);
    expect(hit!.id).toBe('hund');
    expect(hit!.similarity).toBeCloseTo(1, 5);
  });

  it('returns at most the services it has, and nothing for a limit below one', async () => {
    const retriever = await DenseRetriever.create(embedder, services, undefined, 'v1');
    expect(await retriever.rank('Pass', 50)).toHaveLength(6);
    embedder.calls.length = 0;
    expect(await retriever.rank('Pass', 0)).toEqual([]);
    expect(await retriever.rank('Pass', -3)).toEqual([]);
    expect(embedder.calls).toEqual([]);
  });

  it('embeds the services once and reads them from the cache on the next start', async () => {
    const first = await DenseRetriever.create(embedder, services, cacheDir, 'v1');
    expect(first.cache).toEqual({ outcome: 'missing' });
    expect(embedder.calls).toEqual([services.map((s) => s.text)]);
    expect(await readdir(cacheDir)).toHaveLength(1);

    const restarted = new CountingEmbedder(model);
    const second = await DenseRetriever.create(restarted, services, cacheDir, 'v1');
    expect(second.cache).toEqual({ outcome: 'hit' });
    expect(restarted.calls).toEqual([]);
    expect(await second.rank('Reisepass', 6)).toEqual(await first.rank('Reisepass', 6));
    expect(restarted.calls).toEqual([['Reisepass']]);
  });

  it('recomputes the vectors for a new catalogue version and replaces the old file', async () => {
    await DenseRetriever.create(embedder, services, cacheDir, 'v1');
    const before = await readdir(cacheDir);
    const updated = new CountingEmbedder(model);
    const retriever = await DenseRetriever.create(updated, services, cacheDir, 'v2');
    expect(retriever.cache).toEqual({ outcome: 'stale' });
    expect(updated.calls).toHaveLength(1);
    const after = await readdir(cacheDir);
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
  });

  it('recomputes when a service text changed although the version did not', async () => {
    await DenseRetriever.create(embedder, services, cacheDir, 'v1');
    const edited = services.map((s) => (s.id === 'kfz' ? { ...s, text: 'Auto anmelden' } : s));
    const again = new CountingEmbedder(model);
    const retriever = await DenseRetriever.create(again, edited, cacheDir, 'v1');
    expect(retriever.cache.outcome).toBe('stale');
    expect(again.calls).toEqual([edited.map((s) => s.text)]);
  });

  it('recomputes and repairs a damaged cache file instead of failing', async () => {
    await DenseRetriever.create(embedder, services, cacheDir, 'v1');
    const [file] = await readdir(cacheDir);
    await writeFile(join(cacheDir, file!), 'garbage');
    const repaired = await DenseRetriever.create(
      new CountingEmbedder(model),
      services,
      cacheDir,
      'v1',
    );
    expect(repaired.cache).toEqual({ outcome: 'damaged' });
    expect((await repaired.rank('Personalausweis', 1))[0]!.id).toBe('perso');
    const afterRepair = new CountingEmbedder(model);
    expect((await DenseRetriever.create(afterRepair, services, cacheDir, 'v1')).cache.outcome).toBe(
      'hit',
    );
    expect(afterRepair.calls).toEqual([]);
  });

  it('keeps working and reports the error when the cache cannot be written', async () => {
    const notADirectory = join(cacheDir, 'file');
    await writeFile(notADirectory, 'x');
    const retriever = await DenseRetriever.create(embedder, services, notADirectory, 'v1');
    expect(retriever.cache.outcome).toBe('missing');
    expect(retriever.cache.writeError).toBeInstanceOf(Error);
    expect((await retriever.rank('Hundesteuer', 1))[0]!.id).toBe('hund');
  });

  it('embeds nothing and finds nothing for an empty catalogue', async () => {
    const retriever = await DenseRetriever.create(embedder, [], cacheDir, 'v1');
    expect(retriever.size).toBe(0);
    expect(await retriever.rank('Personalausweis', 5)).toEqual([]);
    expect(embedder.calls).toEqual([]);
  });

  it('reports no cache when no directory is configured', async () => {
    const retriever = await DenseRetriever.create(embedder, services, undefined, 'v1');
    expect(retriever.cache).toEqual({ outcome: 'disabled' });
    expect(embedder.calls).toHaveLength(1);
  });

  it('adds, replaces and removes single services by embedding only their text', async () => {
    const retriever = await DenseRetriever.create(embedder, services.slice(0, 2), undefined, 'v1');
    embedder.calls.length = 0;
    await retriever.upsert({ id: 'hund', text: 'Hundesteuer anmelden' });
    expect(embedder.calls).toEqual([['Hundesteuer anmelden']]);
    expect(retriever.size).toBe(3);
    expect((await retriever.rank('Hundesteuer', 1))[0]!.id).toBe('hund');
    await retriever.upsert({ id: 'perso', text: 'Kraftfahrzeug zulassen' });
    expect(retriever.size).toBe(3);
    expect((await retriever.rank('Kraftfahrzeug zulassen', 1))[0]).toMatchObject({ id: 'perso' });
    expect(retriever.remove('hund')).toBe(true);
    expect(retriever.remove('hund')).toBe(false);
    const rest = await retriever.rank('Hundesteuer', 5);
    expect(rest.map((h) => h.id).sort()).toEqual(['pass', 'perso']);
    const [pass] = await model.embed(['Reisepass beantragen']);
    const passHit = rest.find((h) => h.id === 'pass')!;
    const [query] = await model.embed(['Hundesteuer']);
    expect(passHit.similarity).toBeCloseTo(
      pass!.reduce((sum, x, i) => sum + x * query![i]!, 0),
      5,
    );
  });

  it('accepts a first service into an empty retriever', async () => {
    const retriever = await DenseRetriever.create(embedder, [], undefined, 'v1');
    await retriever.upsert({ id: 'kita', text: 'Kita Platz' });
    expect(retriever.dimension).toBe(128);
    expect(await retriever.rank('Kita', 3)).toMatchObject([{ id: 'kita' }]);
  });

  it('rejects an embedder that answers with the wrong number of vectors', async () => {
    const broken: Embedder = { id: 'broken', embed: async () => [] };
    await expect(DenseRetriever.create(broken, services, undefined, 'v1')).rejects.toMatchObject({
      code: 'LOTSE_MODEL_UNAVAILABLE',
      message: expect.stringMatching(/returned 0 vectors for 6 texts/),
    });
  });
});
