/**
 * Reciprocal rank fusion (Cormack, Clarke, Büttcher 2009): combines the lexical (BM25) and dense
 * rankings by rank alone. BM25 scores and cosine similarities live on unrelated scales, so
 * fusing ranks needs no calibration and stays robust when one path is weak, as the dense path is
 * with a small or test model.
 */

/** A fused entry: `score` is Σ 1 / (k + rank) over the rankings that contain the id. */
export interface FusedHit {
  id: string;
  score: number;
}

/** The constant from the paper; it damps the weight of the very top ranks. */
export const DEFAULT_RRF_K = 60;

/**
 * Fuses rankings (each a list of ids, best first) into one, best first.
 *
 * Each id counts once per ranking, at its first (best) position; ranks start at 1. Scores are
 * summed in a fixed order, so the result does not depend on the order of the rankings; equal
 * scores are ordered by best rank, then by id, so the result is deterministic.
 *
 * @param k Damping constant, default 60; must be a finite number ≥ 0.
 * @throws RangeError when `k` is negative or not finite.
 */
export function reciprocalRankFusion(rankings: string[][], k: number = DEFAULT_RRF_K): FusedHit[] {
  if (!Number.isFinite(k) || k < 0) {
    throw new RangeError(`lotse/knowledge: reciprocal rank fusion needs k ≥ 0, got ${k}`);
  }
  const ranks = new Map<string, number[]>();
  for (const ranking of rankings) {
    const seen = new Set<string>();
    ranking.forEach((id, index) => {
      if (seen.has(id)) return;
      seen.add(id);
      const list = ranks.get(id);
      if (list) list.push(index + 1);
      else ranks.set(id, [index + 1]);
    });
  }
  const fused = [...ranks].map(([id, list]) => {
    list.sort((a, b) => a - b);
    let score = 0;
    for (const rank of list) score += 1 / (k + rank);
    return { id, score, best: list[0]! };
  });
  fused.sort(
    (a, b) => b.score - a.score || a.best - b.best || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return fused.map(({ id, score }) => ({ id, score }));
}
