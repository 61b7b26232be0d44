/**
 * The seam between dense retrieval and whatever computes embeddings: search, the vector cache and
 * the tests depend on this interface only, so the model runtime (transformers.js today) can be
 * swapped, and tests can wrap an embedder to count or fake its calls.
 */

/** Turns texts into unit-length vectors whose dot product is their cosine similarity. */
export interface Embedder {
  /**
   * Identity of the model and its settings (pooling, precision, weights). Cached vectors are keyed
   * by it, so two embedders with the same id must produce the same vectors for the same text.
   */
  readonly id: string;
  /**
   * Embeds texts in order, one vector per text, each L2-normalised (an all-zero vector is allowed
   * for a text the model maps to nothing). All vectors of one embedder have the same length.
   */
  embed(texts: string[]): Promise<Float32Array[]>;
}
