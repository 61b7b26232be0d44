import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KnowledgeError } from '../../../../knowledge/errors.js';
import {
  createTransformersEmbedder,
  type TransformersEmbedder,
} from '../../../../knowledge/search/dense/transformers-embedder.js';
import {
  writeTinyEmbeddingModel,
  writeTinyEmbeddingModelToTemp,
} from '../../../fixtures/tiny-embedding-model.js';

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += a[i]! * b[i]!;
  return sum;
}

function norm(v: Float32Array): number {
  return Math.sqrt(dot(v, v));
}

async function expectUnavailable(promise: Promise<unknown>, text: string | RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KnowledgeError);
  expect((error as KnowledgeError).code).toBe('LOTSE_MODEL_UNAVAILABLE');
  expect((error as KnowledgeError).message).toMatch(text);
}

describe('the transformers.js embedder', () => {
  const fetchSpy = vi.fn(() => Promise.reject(new Error('the test forbids network access')));
  let modelDir: string;
  let scratch: string;
  let embedder: TransformersEmbedder;

  beforeAll(async () => {
    vi.stubGlobal('fetch', fetchSpy);
    modelDir = await writeTinyEmbeddingModelToTemp();
    scratch = await mkdtemp(join(tmpdir(), 'lotse-embedder-test-'));
    embedder = await createTransformersEmbedder(modelDir);
  });

  afterEach(() => {
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  afterAll(async () => {
    await embedder.dispose();
    vi.unstubAllGlobals();
    await rm(dirname(modelDir), { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  });

  it('loads the generated model from its local directory without touching the network', async () => {
    const { env } = await import('@huggingface/transformers');
    expect(env.allowRemoteModels).toBe(false);
    expect(env.localModelPath).toBe(`${dirname(modelDir)}/`);
    expect(embedder.precision).toBe('fp32');
    expect(embedder.id).toMatch(/^transformers\.js:tiny:fp32:mean:[0-9a-f]{16}$/);
    await expect(env.fetch('https://huggingface.co/x')).rejects.toThrow(/local models only/);
  });

  it('returns one unit-length vector of the model width per text, in order', async () => {
    const texts = ['Personalausweis beantragen', 'Hundesteuer', 'x', ''];
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(4);
    for (const vector of vectors.slice(0, 3)) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(128);
      expect(norm(vector)).toBeCloseTo(1, 5);
    }
    expect(dot(vectors[0]!, vectors[1]!)).toBeLessThan(0.99);
    expect(await embedder.embed([])).toEqual([]);
  });

  it('gives the same vector for the same text, alone, in a batch, or from a second load', async () => {
    const [alone] = await embedder.embed(['Wohnsitz anmelden']);
    const batched = await embedder.embed([
      'ein viel längerer Text, der die anderen Texte im Stapel auffüllen lässt',
      'Wohnsitz anmelden',
    ]);
    const again = await createTransformersEmbedder(modelDir, { batchSize: 1 });
    const [reloaded] = await again.embed(['Wohnsitz anmelden']);
    await again.dispose();
    expect(again.id).toBe(embedder.id);
    for (let i = 0; i < 128; i += 1) {
      expect(batched[1]![i]).toBeCloseTo(alone![i]!, 6);
      expect(reloaded![i]).toBe(alone![i]);
    }
  });

  it('puts texts that share words closer than unrelated texts', async () => {
    const [perso, renewal, dogTax] = await embedder.embed([
      'Personalausweis beantragen',
      'Personalausweis verlängern',
      'Hundesteuer anmelden',
    ]);
    const related = dot(perso!, renewal!);
    const unrelated = dot(perso!, dogTax!);
    expect(related).toBeGreaterThan(0.9);
    expect(unrelated).toBeLessThan(0.85);
    expect(related - unrelated).toBeGreaterThan(0.1);
  });

  it('uses another cache identity for other weights, even under the same directory name', async () => {
    const otherDir = join(scratch, 'other', 'tiny');
    await writeTinyEmbeddingModel(otherDir, { seed: 7 });
    const other = await createTransformersEmbedder(otherDir);
    await other.dispose();
    expect(other.id).toMatch(/^transformers\.js:tiny:fp32:mean:/);
    expect(other.id).not.toBe(embedder.id);
    const cls = await createTransformersEmbedder(modelDir, { pooling: 'cls' });
    await cls.dispose();
    expect(cls.id).not.toBe(embedder.id);
  });

  it('loads the quantised file when the directory has only that one', async () => {
    const quantisedDir = join(scratch, 'q', 'tiny-q8');
    await writeTinyEmbeddingModel(quantisedDir, { onnxFile: 'model_quantized.onnx' });
    const quantised = await createTransformersEmbedder(quantisedDir);
    const [vector] = await quantised.embed(['Kindergeld']);
    await quantised.dispose();
    expect(quantised.precision).toBe('q8');
    expect(norm(vector!)).toBeCloseTo(1, 5);
  });

  it('fails fast with LOTSE_MODEL_UNAVAILABLE naming a missing directory', async () => {
    const missing = join(scratch, 'no-such-model');
    const started = performance.now();
    await expectUnavailable(createTransformersEmbedder(missing), `"${missing}" does not exist`);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('names the missing file of an incomplete model directory', async () => {
    const incomplete = join(scratch, 'incomplete');
    await writeTinyEmbeddingModel(incomplete);
    await rm(join(incomplete, 'onnx'), { recursive: true });
    await expectUnavailable(
      createTransformersEmbedder(incomplete),
      /lacks onnx\/model\.onnx or onnx\/model_quantized\.onnx/,
    );
    await rm(join(incomplete, 'tokenizer.json'));
    await expectUnavailable(createTransformersEmbedder(incomplete), /lacks tokenizer\.json/);
  });

  it('rejects a file given as the model directory', async () => {
    const file = join(scratch, 'model.txt');
    await writeFile(file, 'not a model');
    await expectUnavailable(createTransformersEmbedder(file), `"${file}" is not a directory`);
  });

  it('reports damaged weights as LOTSE_MODEL_UNAVAILABLE instead of crashing', async () => {
    const broken = join(scratch, 'broken');
    await writeTinyEmbeddingModel(broken);
    await writeFile(join(broken, 'onnx', 'model.onnx'), 'this is not an ONNX graph');
    await expectUnavailable(
      createTransformersEmbedder(broken),
      /"[^"]*broken" could not be loaded/,
    );
  });

  it('refuses a directory name that transformers.js would treat as something else', async () => {
    const odd = join(scratch, 'two--dashes');
    await mkdir(odd);
    await expectUnavailable(createTransformersEmbedder(odd), /has a name transformers\.js cannot/);
  });
});
