/**
 * `lotse eval FILE.jsonl [--json]`: scores search on a labelled query set (see
 * knowledge/search/evaluation.ts for the metrics).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import {
  evaluate,
  parseEvalSet,
  type EvalMetrics,
  type EvalReport,
} from '../../knowledge/search/evaluation.js';
import { EXIT, UsageError, type Io } from './io.js';

export async function evalCommand(
  args: string[],
  kb: () => Promise<KnowledgeBase>,
  io: Io,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const file = positionals[0];
  if (!file)
    throw new UsageError('eval needs a query file, e.g. lotse eval tests/eval/search-dev.jsonl');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    io.err(`lotse eval: cannot read ${file}: ${(e as Error).message}`);
    return EXIT.failure;
  }
  const lines = parseEvalSet(text, file);
  const { search } = await kb();
  const report = await evaluate(lines, async (q) => {
    const r = await search.search(q, { limit: 10 });
    return { ids: r.results.map((x) => x.service.id), abstained: r.abstained };
  });
  if (values.json) {
    const { misses: _misses, ...figures } = report;
    io.out(JSON.stringify(figures));
  } else printReport(report, io);
  return EXIT.ok;
}

function row(label: string, m: EvalMetrics): string {
  const pct = (n: number) => n.toFixed(3);
  return [
    label.padEnd(12),
    `recall@1 ${pct(m.recallAt1)}`,
    `recall@3 ${pct(m.recallAt3)}`,
    `MRR ${pct(m.mrr)}`,
    `out-of-scope abstained ${m.oosAbstained}/${m.oosTotal}`,
    `false abstentions ${m.falseAbstentions}/${m.inScopeTotal}`,
  ].join('  ');
}

/** Prints the report as a table plus the misses. */
export function printReport(report: EvalReport, io: Io): void {
  io.out(row('overall', report));
  for (const [kind, m] of Object.entries(report.byKind)) io.out(row(kind, m));
  if (report.misses.length) {
    io.out('\nNot ranked first:');
    for (const m of report.misses) {
      io.out(
        `- ${m.query}  expected ${m.expected.join('|')}  got ${m.got.join(', ') || '—'}${m.abstained ? '  (abstained)' : ''}`,
      );
    }
  }
}
