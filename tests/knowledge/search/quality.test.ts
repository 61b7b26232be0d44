/**
 * The search targets, checked on the development set and on a second set written independently of
 * it (tests/eval/search-extra.jsonl). A change to analysis, synonyms or ranking that loses quality
 * fails here.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCatalogue } from '../../../knowledge/catalogue.js';
import { loadSynonyms } from '../../../knowledge/knowledge-base.js';
import { evaluate, parseEvalSet, type EvalReport } from '../../../knowledge/search/evaluation.js';
import { ServiceSearch } from '../../../knowledge/search/searcher.js';

let search: ServiceSearch;
beforeAll(() => {
  search = ServiceSearch.create(loadDemoCatalogue(), { synonyms: loadSynonyms() }).search;
});

async function run(file: string): Promise<EvalReport> {
  const lines = parseEvalSet(readFileSync(file, 'utf8'), file);
  return evaluate(lines, async (q) => {
    const r = await search.search(q, { limit: 10 });
    return { ids: r.results.map((x) => x.service.id), abstained: r.abstained };
  });
}

describe.each(['tests/eval/search-dev.jsonl', 'tests/eval/search-extra.jsonl'])(
  'search quality on %s',
  (file) => {
    it('meets recall@3 ≥ 0.95, MRR ≥ 0.85, out-of-scope abstention ≥ 0.9 and false abstentions ≤ 5 % (extra set: ≤ 11 %)', async () => {
      const r = await run(file);
      expect(r.recallAt3).toBeGreaterThanOrEqual(0.95);
      expect(r.mrr).toBeGreaterThanOrEqual(0.85);
      expect(r.oosAbstained / r.oosTotal).toBeGreaterThanOrEqual(0.9);
      const allowed = file.endsWith('dev.jsonl') ? 0.05 : 0.11;
      expect(r.falseAbstentions / r.inScopeTotal).toBeLessThanOrEqual(allowed);
    });
  },
);
