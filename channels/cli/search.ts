/**
 * `lotse search "QUERY" [--json] [--limit N]`: ranked services with scores, for operators and
 * editors checking what citizens will find.
 */
import { parseArgs } from 'node:util';
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { EXIT, UsageError, type Io } from './io.js';
import { positiveInt } from './args.js';

export async function searchCommand(
  args: string[],
  kb: () => Promise<KnowledgeBase>,
  io: Io,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, limit: { type: 'string', default: '5' } },
  });
  const query = positionals.join(' ').trim();
  if (!query)
    throw new UsageError('search needs a query, e.g. lotse search "Personalausweis beantragen"');
  const limit = positiveInt('--limit', values.limit);
  const response = await (await kb()).search.search(query, { limit });
  if (values.json) {
    io.out(
      JSON.stringify({
        query,
        abstained: response.abstained,
        results: response.results.map((r) => ({
          id: r.service.id,
          name: r.service.name,
          score: round(r.score),
          confidence: round(r.confidence),
        })),
      }),
    );
    return EXIT.ok;
  }
  if (response.abstained) io.out('No service matches confidently. Closest services:');
  else if (response.closeCall) io.out('Several services fit about equally well:');
  response.results.forEach((r, i) =>
    io.out(
      `${i + 1}. ${r.service.name} (${r.service.id})  score ${r.score.toFixed(2)}  confidence ${r.confidence.toFixed(2)}`,
    ),
  );
  if (!response.results.length) io.out('No results.');
  return EXIT.ok;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
