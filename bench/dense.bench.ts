/**
 * Dense retrieval's added cost, measured with the tiny generated test model (its ranking quality
 * is meaningless; its cost is real plumbing: tokenising, ONNX inference, fusion): start-up with
 * and without the vector cache, and per-query latency of hybrid search against lexical search in
 * the same process.
 */
import { readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openKnowledge } from '../knowledge/knowledge-base.js';
import { parseEvalSet } from '../knowledge/search/evaluation.js';
import { writeTinyEmbeddingModelToTemp } from '../tests/fixtures/tiny-embedding-model.js';
import { fmt, memoryMiB, percentile, table } from './measure.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const EVAL_FILE = 'tests/eval/search-dev.jsonl';
const ROUNDS = 20;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

export async function runDenseBench(): Promise<string> {
  const modelDir = await writeTinyEmbeddingModelToTemp();
  const dataDir = mkdtempSync(join(tmpdir(), 'lotse-bench-dense-'));
  try {
    const queries = parseEvalSet(readFileSync(EVAL_FILE, 'utf8'), EVAL_FILE).map((l) => l.query);
    const [, lexicalOpen] = await timed(() => openKnowledge({ dataDir, persistSnapshot: false }));
    const before = memoryMiB();
    const [cold, coldOpen] = await timed(() =>
      openKnowledge({ dataDir, embeddingModel: modelDir }),
    );
    const after = memoryMiB();
    const [, warmOpen] = await timed(() => openKnowledge({ dataDir, embeddingModel: modelDir }));
    const lexical: number[] = [];
    const hybrid: number[] = [];
    for (const q of queries) await cold.search.search(q); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const q of queries) {
        let t = performance.now();
        cold.search.searchLexical(q, { limit: 5 });
        lexical.push(performance.now() - t);
        t = performance.now();
        await cold.search.search(q, { limit: 5 });
        hybrid.push(performance.now() - t);
      }
    }
    return [
      `Dense path with the tiny test model, ${queries.length} dev queries × ${ROUNDS} rounds`,
      table(
        ['measure', 'lexical only', 'lexical + dense', 'ratio'],
        [
          [
            'open (ms), no vector cache',
            fmt(lexicalOpen, 0),
            fmt(coldOpen, 0),
            fmt(coldOpen / lexicalOpen),
          ],
          [
            'open (ms), vectors cached',
            fmt(lexicalOpen, 0),
            fmt(warmOpen, 0),
            fmt(warmOpen / lexicalOpen),
          ],
          [
            'query p50 (ms)',
            fmt(percentile(lexical, 50), 3),
            fmt(percentile(hybrid, 50), 3),
            fmt(percentile(hybrid, 50) / percentile(lexical, 50)),
          ],
          [
            'query p99 (ms)',
            fmt(percentile(lexical, 99), 3),
            fmt(percentile(hybrid, 99), 3),
            fmt(percentile(hybrid, 99) / percentile(lexical, 99)),
          ],
        ],
      ),
      `heap added by model + vectors: ${fmt(after.heap - before.heap, 1)} MiB, RSS added: ${fmt(after.rss - before.rss, 1)} MiB`,
    ].join('\n');
  } finally {
    rmSync(dirname(modelDir), { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}
