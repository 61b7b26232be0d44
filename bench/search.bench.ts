/**
 * Search benchmark: Lotse's index against a plain minisearch index with default options on the
 * same catalogue, side by side in one process — build time, latency over the dev queries, memory
 * and both indexes' eval figures.
 */
import { readFileSync } from 'node:fs';
import MiniSearch from 'minisearch';
import { loadDemoCatalogue } from '../knowledge/catalogue.js';
import { loadSynonyms } from '../knowledge/knowledge-base.js';
import type { Service } from '../knowledge/schema.js';
import {
  evaluate,
  parseEvalSet,
  type EvalReport,
  type RankedAnswer,
} from '../knowledge/search/evaluation.js';
import { ServiceSearch } from '../knowledge/search/searcher.js';
import { fmt, memoryMiB, percentile, table, timeMs } from './measure.js';

const EVAL_FILE = 'tests/eval/search-dev.jsonl';
const ROUNDS = 50;

interface Contender {
  name: string;
  buildMs: number;
  heapMiB: number;
  rssMiB: number;
  answer: (q: string) => RankedAnswer;
}

function latencies(queries: string[], answer: (q: string) => RankedAnswer): number[] {
  for (const q of queries) answer(q); // warm-up
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++)
    for (const q of queries) samples.push(timeMs(() => answer(q)));
  return samples;
}

function plainMiniSearch(services: Service[]): Contender {
  const before = memoryMiB();
  let mini!: MiniSearch<{ id: string; name: string; keywords: string; description: string }>;
  const buildMs = timeMs(() => {
    mini = new MiniSearch({ fields: ['name', 'keywords', 'description'] });
    mini.addAll(
      services
        .filter((s) => s.searchable)
        .map((s) => ({
          id: s.id,
          name: s.name,
          keywords: s.keywords.join(', '),
          description: s.description.text,
        })),
    );
  });
  const after = memoryMiB();
  return {
    name: 'plain minisearch (baseline)',
    buildMs,
    heapMiB: after.heap - before.heap,
    rssMiB: after.rss - before.rss,
    answer: (q) => {
      const hits = mini.search(q);
      return { ids: hits.slice(0, 10).map((h) => String(h.id)), abstained: hits.length === 0 };
    },
  };
}

function lotse(catalogue: ReturnType<typeof loadDemoCatalogue>): Contender {
  const synonyms = loadSynonyms();
  const before = memoryMiB();
  let search!: ServiceSearch;
  const buildMs = timeMs(() => {
    search = ServiceSearch.create(catalogue, { synonyms }).search;
  });
  const after = memoryMiB();
  return {
    name: 'Lotse',
    buildMs,
    heapMiB: after.heap - before.heap,
    rssMiB: after.rss - before.rss,
    answer: (q) => {
      const r = search.searchLexical(q, { limit: 10 });
      return { ids: r.results.map((x) => x.service.id), abstained: r.abstained };
    },
  };
}

function evalRow(name: string, r: EvalReport): string[] {
  return [
    name,
    fmt(r.recallAt1, 3),
    fmt(r.recallAt3, 3),
    fmt(r.mrr, 3),
    `${r.oosAbstained}/${r.oosTotal}`,
    `${r.falseAbstentions}/${r.inScopeTotal}`,
  ];
}

/** Runs the search benchmark and returns its report as text. */
export async function runSearchBench(): Promise<string> {
  const catalogue = loadDemoCatalogue();
  const lines = parseEvalSet(readFileSync(EVAL_FILE, 'utf8'), EVAL_FILE);
  const queries = lines.map((l) => l.query);
  const contenders = [plainMiniSearch(catalogue.services), lotse(catalogue)];
  const perf = contenders.map((c) => {
    const samples = latencies(queries, c.answer);
    return { c, p50: percentile(samples, 50), p99: percentile(samples, 99) };
  });
  const [base, ours] = perf;
  const out = [
    `Search over ${catalogue.services.filter((s) => s.searchable).length} searchable services, ${queries.length} dev queries × ${ROUNDS} rounds`,
    table(
      ['index', 'build ms', 'p50 ms', 'p99 ms', 'heap MiB', 'RSS MiB'],
      perf.map(({ c, p50, p99 }) => [
        c.name,
        fmt(c.buildMs, 1),
        fmt(p50, 3),
        fmt(p99, 3),
        fmt(c.heapMiB, 1),
        fmt(c.rssMiB, 1),
      ]),
    ),
  ];
  if (base && ours) {
    out.push(
      `ratio Lotse/baseline: build ${fmt(ours.c.buildMs / base.c.buildMs)}×, p50 ${fmt(ours.p50 / base.p50)}×, p99 ${fmt(ours.p99 / base.p99)}×`,
    );
  }
  out.push('', 'Eval on ' + EVAL_FILE);
  const reports: { c: Contender; r: EvalReport }[] = [];
  for (const c of contenders) reports.push({ c, r: await evaluate(lines, c.answer) });
  out.push(
    table(
      ['index', 'recall@1', 'recall@3', 'MRR', 'oos abstained', 'false abstentions'],
      reports.map(({ c, r }) => evalRow(c.name, r)),
    ),
  );
  const kinds = Object.keys(reports[0]?.r.byKind ?? {});
  out.push('', 'Per kind (recall@1 / recall@3 / MRR)');
  out.push(
    table(
      ['kind', ...contenders.map((c) => c.name)],
      kinds.map((k) => [
        k,
        ...reports.map(({ r }) => {
          const m = r.byKind[k];
          return m ? `${fmt(m.recallAt1)} / ${fmt(m.recallAt3)} / ${fmt(m.mrr)}` : '—';
        }),
      ]),
    ),
  );
  return out.join('\n');
}
