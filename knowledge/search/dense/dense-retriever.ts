/**
 * Dense retrieval over the catalogue: every service is embedded once (or read from the vector
 * cache), and a question is ranked by cosine similarity against all of them. A brute-force scan
 * is exact and takes well under a millisecond for thousands of services, so no approximate
 * index is needed at catalogue scale.
 */
import { KnowledgeError } from '../../errors.js';
import type { Embedder } from './embedder.js';
import {
  readVectorCache,
  textsDigest,
  writeVectorCache,
  type CacheOutcome,
  type VectorCacheKey,
  type VectorMatrix,
} from './vector-cache.js';

/** One service as dense retrieval sees it: the text that stands for it. */
export interface DenseDocument {
  id: string;
  text: string;
}

/** A service and its cosine similarity to the question (−1…1, higher is closer). */
export interface DenseHit {
  id: string;
  similarity: number;
}

/** What happened with the vector cache when the retriever was built; worth a log line. */
export interface DenseCacheReport {
  /** `hit`: vectors were read; otherwise why they were computed (`disabled`: no directory). */
  outcome: CacheOutcome | 'disabled';
  /** Set when computed vectors could not be stored; the next start computes them again. */
  writeError?: Error;
}

function toMatrix(ids: string[], vectors: Float32Array[]): VectorMatrix {
  const dimension = vectors[0]?.length ?? 0;
  const data = new Float32Array(ids.length * dimension);
  vectors.forEach((vector, row) => {
    if (vector.length !== dimension) {
      throw new KnowledgeError(
        'LOTSE_MODEL_UNAVAILABLE',
        `dense search: the embedder returned vectors of ${vector.length} and ${dimension} dimensions`,
      );
    }
    data.set(vector, row * dimension);
  });
  return { ids, dimension, data };
}

function dimensionMismatch(vector: Float32Array | undefined, dimension: number): KnowledgeError {
  return new KnowledgeError(
    'LOTSE_MODEL_UNAVAILABLE',
    `dense search: the embedder returned a vector of ${vector?.length ?? 0} dimensions, the services have ${dimension}`,
  );
}

/** Ranks services by the similarity of their embedded text to a question. */
export class DenseRetriever {
  private constructor(
    private readonly embedder: Embedder,
    private matrix: VectorMatrix,
    /** How the service vectors were obtained. */
    readonly cache: DenseCacheReport,
  ) {}

  /**
   * Embeds the services, or reads their vectors from `cacheDir` when they were stored for the
   * same embedder, catalogue version and texts. Pass `cacheDir: undefined` to keep nothing on
   * disk (tests, read-only deployments).
   */
  static async create(
    embedder: Embedder,
    services: DenseDocument[],
    cacheDir: string | undefined,
    catalogueVersion: string,
  ): Promise<DenseRetriever> {
    const ids = services.map((s) => s.id);
    const key: VectorCacheKey = {
      embedderId: embedder.id,
      catalogueVersion,
      textsDigest: textsDigest(services),
    };
    let outcome: DenseCacheReport['outcome'] = 'disabled';
    if (cacheDir !== undefined) {
      const read = await readVectorCache(cacheDir, key);
      if (read.outcome === 'hit') {
        return new DenseRetriever(embedder, read.matrix, { outcome: 'hit' });
      }
      outcome = read.outcome;
    }
    const vectors = services.length === 0 ? [] : await embedder.embed(services.map((s) => s.text));
    if (vectors.length !== services.length) {
      throw new KnowledgeError(
        'LOTSE_MODEL_UNAVAILABLE',
        `dense search: the embedder returned ${vectors.length} vectors for ${services.length} texts`,
      );
    }
    const matrix = toMatrix(ids, vectors);
    const report: DenseCacheReport = { outcome };
    if (cacheDir !== undefined) {
      try {
        await writeVectorCache(cacheDir, key, matrix);
      } catch (error) {
        report.writeError = error instanceof Error ? error : new Error(String(error));
      }
    }
    return new DenseRetriever(embedder, matrix, report);
  }

  /** Number of services that can be found. */
  get size(): number {
    return this.matrix.ids.length;
  }

  /** Length of the vectors (0 when there are no services). */
  get dimension(): number {
    return this.matrix.dimension;
  }

  /**
   * Adds or replaces one service, embedding only its text, so a catalogue edit at run time does
   * not re-embed everything. The on-disk cache is left as it is: the next start sees a new
   * catalogue version and recomputes.
   */
  async upsert(service: DenseDocument): Promise<void> {
    const [vector] = await this.embedder.embed([service.text]);
    const { ids, data } = this.matrix;
    const dimension = ids.length === 0 ? (vector?.length ?? 0) : this.matrix.dimension;
    if (!vector || vector.length !== dimension) throw dimensionMismatch(vector, dimension);
    const row = ids.indexOf(service.id);
    if (row >= 0) {
      data.set(vector, row * dimension);
      return;
    }
    const grown = new Float32Array(data.length + dimension);
    grown.set(data);
    grown.set(vector, data.length);
    this.matrix = { ids: [...ids, service.id], dimension, data: grown };
  }

  /** Removes one service; returns false when it was not there. */
  remove(id: string): boolean {
    const { ids, dimension, data } = this.matrix;
    const row = ids.indexOf(id);
    if (row < 0) return false;
    const shrunk = new Float32Array(data.length - dimension);
    shrunk.set(data.subarray(0, row * dimension));
    shrunk.set(data.subarray((row + 1) * dimension), row * dimension);
    this.matrix = { ids: ids.filter((_, i) => i !== row), dimension, data: shrunk };
    return true;
  }

  /** The `limit` services most similar to `query`, most similar first (ties: catalogue order). */
  async rank(query: string, limit: number): Promise<DenseHit[]> {
    const count = Math.min(Math.floor(limit), this.size);
    if (!(count > 0)) return [];
    const [vector] = await this.embedder.embed([query]);
    const { dimension, data, ids } = this.matrix;
    if (!vector || vector.length !== dimension) throw dimensionMismatch(vector, dimension);
    const similarities = new Float64Array(ids.length);
    for (let row = 0; row < ids.length; row += 1) {
      let dot = 0;
      const offset = row * dimension;
      for (let i = 0; i < dimension; i += 1) dot += vector[i]! * data[offset + i]!;
      similarities[row] = dot;
    }
    const order = Array.from(ids.keys()).sort(
      (a, b) => similarities[b]! - similarities[a]! || a - b,
    );
    return order.slice(0, count).map((row) => ({ id: ids[row]!, similarity: similarities[row]! }));
  }
}
