/**
 * An {@link Embedder} on transformers.js that loads a sentence-embedding model from a local
 * directory and never from the network: production machines may have no route to a model hub,
 * and a search service must not download weights at start-up. Operators fetch a model once with
 * `lotse models pull` (see `model-pull.ts`) and point `LOTSE_EMBEDDING_MODEL` at its directory.
 */
import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { KnowledgeError } from '../../errors.js';
import type { Embedder } from './embedder.js';

/** How token vectors become one sentence vector; it must match how the model was trained. */
export type Pooling = 'mean' | 'cls';

/** Which ONNX file to load: `fp32` is `onnx/model.onnx`, `q8` is `onnx/model_quantized.onnx`. */
export type ModelPrecision = 'fp32' | 'q8';

/** Settings that must match how the model was trained and exported; defaults fit most. */
export interface TransformersEmbedderOptions {
  /** Pooling of token vectors. Default `'mean'` (sentence-transformers models). */
  pooling?: Pooling;
  /** ONNX variant. Default: `fp32` when `onnx/model.onnx` exists, else `q8`. */
  precision?: ModelPrecision;
  /** Texts per model call: bounds memory, as a batch is padded to its longest text. Default 32. */
  batchSize?: number;
}

/** A transformers.js embedder; `dispose` frees the ONNX session. */
export interface TransformersEmbedder extends Embedder {
  readonly modelDir: string;
  readonly precision: ModelPrecision;
  dispose(): Promise<void>;
}

const ONNX_FILES: Record<ModelPrecision, string> = {
  fp32: join('onnx', 'model.onnx'),
  q8: join('onnx', 'model_quantized.onnx'),
};
const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
/** transformers.js resolves a local model by a hub-style id; see `isValidHfModelId` there. */
const LOCAL_MODEL_ID = /^[\w.-]{1,96}$/;
/** Bytes read from each end of the weights for the model's identity: enough to tell models apart. */
const FINGERPRINT_BYTES = 1 << 20;

function unavailable(modelDir: string, reason: string, cause?: unknown): KnowledgeError {
  return new KnowledgeError(
    'LOTSE_MODEL_UNAVAILABLE',
    `embedding model in "${modelDir}" ${reason}`,
    cause === undefined ? undefined : { cause },
  );
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Checks the layout before transformers.js sees it, so a wrong path fails at once and clearly. */
async function checkModelDir(modelDir: string, wanted?: ModelPrecision): Promise<ModelPrecision> {
  try {
    if (!(await stat(modelDir)).isDirectory()) throw unavailable(modelDir, 'is not a directory');
  } catch (error) {
    if (error instanceof KnowledgeError) throw error;
    throw unavailable(modelDir, 'does not exist', error);
  }
  for (const file of REQUIRED_FILES) {
    if (!(await isFile(join(modelDir, file)))) throw unavailable(modelDir, `lacks ${file}`);
  }
  const candidates: ModelPrecision[] = wanted ? [wanted] : ['fp32', 'q8'];
  for (const precision of candidates) {
    if (await isFile(join(modelDir, ONNX_FILES[precision]))) return precision;
  }
  throw unavailable(modelDir, `lacks ${candidates.map((p) => ONNX_FILES[p]).join(' or ')}`);
}

/** A digest of the model's files: a re-downloaded or different model gets a new cache key. */
async function fingerprint(modelDir: string, onnxFile: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of REQUIRED_FILES) hash.update(await readFile(join(modelDir, file)));
  const handle = await open(join(modelDir, onnxFile), 'r');
  try {
    const { size } = await handle.stat();
    hash.update(String(size));
    const length = Math.min(size, FINGERPRINT_BYTES);
    for (const position of new Set([0, size - length])) {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, position);
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex').slice(0, 16);
}

/** Rescales to unit length; a zero or non-finite vector becomes all zeros (similar to nothing). */
function unitLength(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm);
  if (!Number.isFinite(norm) || norm === 0) return new Float32Array(vector.length);
  if (Math.abs(norm - 1) > 1e-6) for (let i = 0; i < vector.length; i += 1) vector[i]! /= norm;
  return vector;
}

/**
 * transformers.js keeps its settings in one global `env`, read while a model loads; loads are
 * queued so that two embedders with different directories cannot see each other's settings.
 */
let loading: Promise<unknown> = Promise.resolve();

/**
 * Loads the model in `modelDir` (the layout `lotse models pull` writes: config.json,
 * tokenizer.json, tokenizer_config.json, onnx/model.onnx or onnx/model_quantized.onnx).
 *
 * @throws KnowledgeError `LOTSE_MODEL_UNAVAILABLE` naming the directory when it is missing,
 *   incomplete or not loadable. Nothing is fetched from the network in any case.
 */
export async function createTransformersEmbedder(
  modelDir: string,
  options: TransformersEmbedderOptions = {},
): Promise<TransformersEmbedder> {
  const dir = resolve(modelDir);
  const pooling = options.pooling ?? 'mean';
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 32));
  const name = basename(dir);
  if (!LOCAL_MODEL_ID.test(name) || name.includes('..') || name.includes('--')) {
    throw unavailable(dir, 'has a name transformers.js cannot load: use letters, digits, . _ -');
  }
  const precision = await checkModelDir(dir, options.precision);
  const id = `transformers.js:${name}:${precision}:${pooling}:${await fingerprint(dir, ONNX_FILES[precision])}`;

  const load = async () => {
    const { env, pipeline } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = `${dirname(dir)}${sep}`;
    // Belt and braces: whatever transformers.js would fetch (a missing file, a remote default)
    // fails here instead of leaving the machine.
    env.fetch = () =>
      Promise.reject(new Error('lotse/knowledge: transformers.js loads local models only'));
    return pipeline('feature-extraction', name, { local_files_only: true, dtype: precision });
  };
  const loaded = loading.then(load, load);
  loading = loaded.catch(() => undefined);
  let extractor: Awaited<typeof loaded>;
  try {
    extractor = await loaded;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw unavailable(dir, `could not be loaded: ${reason}`, error);
  }

  return {
    id,
    modelDir: dir,
    precision,
    async embed(texts: string[]): Promise<Float32Array[]> {
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        const batch = texts.slice(start, start + batchSize);
        const output = await extractor(batch, { pooling, normalize: true });
        const data = output.data as Float32Array;
        const width = data.length / batch.length;
        for (let row = 0; row < batch.length; row += 1) {
          vectors.push(unitLength(data.slice(row * width, (row + 1) * width)));
        }
      }
      return vectors;
    },
    async dispose(): Promise<void> {
      await extractor.dispose();
    },
  };
}
