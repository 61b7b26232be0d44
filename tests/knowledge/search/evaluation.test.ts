import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KnowledgeError } from '../../../knowledge/errors.js';
import {
  evaluate,
  parseEvalSet,
  type EvalLine,
  type RankedAnswer,
} from '../../../knowledge/search/evaluation.js';

/** An answer function that returns canned answers by query. */
function canned(answers: Record<string, RankedAnswer>): (q: string) => RankedAnswer {
  return (q) => answers[q] ?? { ids: [], abstained: true };
}

const line = (query: string, expected: string[], kind = 'keyword'): EvalLine => ({
  query,
  expected,
  kind,
});

describe('parseEvalSet', () => {
  it('reads one query per line, turns numeric ids into strings and defaults the kind', () => {
    const lines = parseEvalSet(
      '{"query":"Perso","expected":[1063441]}\n\n{"query":"Witz","expected":[],"kind":"oos"}\n',
      'set.jsonl',
    );
    expect(lines).toEqual([
      { query: 'Perso', expected: ['1063441'], kind: 'default' },
      { query: 'Witz', expected: [], kind: 'oos' },
    ]);
  });

  it('names file and line of a line that is not JSON', () => {
    const text = '{"query":"a","expected":[]}\n\n{"query": oops}\n';
    expect(() => parseEvalSet(text, 'set.jsonl')).toThrow(KnowledgeError);
    expect(() => parseEvalSet(text, 'set.jsonl')).toThrow(/set\.jsonl:3: not valid JSON/);
  });

  it('names file, line and field of a line of the wrong shape', () => {
    const text = '{"query":"a","expected":[]}\n{"query":"","expected":[]}';
    expect(() => parseEvalSet(text, 'set.jsonl')).toThrow(/set\.jsonl:2: field "query"/);
  });

  it('gives the error a stable code', () => {
    try {
      parseEvalSet('{"expected":[]}', 'x.jsonl');
      expect.unreachable('a line without a query must be rejected');
    } catch (e) {
      expect((e as KnowledgeError).code).toBe('LOTSE_EVAL_INVALID_LINE');
    }
  });

  it('reads the development query set shipped with the tests', () => {
    const lines = parseEvalSet(
      readFileSync('tests/eval/search-dev.jsonl', 'utf8'),
      'search-dev.jsonl',
    );
    expect(lines).toHaveLength(40);
    expect(lines.filter((l) => l.expected.length === 0)).toHaveLength(2);
  });
});

describe('evaluate', () => {
  const lines = [
    line('erster', ['A']), // rank 1
    line('zweiter', ['B']), // rank 2
    line('dritter', ['C']), // rank 3
    line('fehlt', ['D'], 'paraphrase'), // not found
    line('witz', [], 'oos'), // abstained
    line('wetter', [], 'oos'), // answered
  ];
  const answer = canned({
    erster: { ids: ['A', 'X'], abstained: false },
    zweiter: { ids: ['X', 'B'], abstained: false },
    dritter: { ids: ['X', 'Y', 'C'], abstained: true },
    fehlt: { ids: ['X', 'Y', 'Z', 'D'], abstained: false },
    witz: { ids: ['X'], abstained: true },
    wetter: { ids: ['X'], abstained: false },
  });

  it('computes recall@1, recall@3 and MRR over in-scope queries', async () => {
    const report = await evaluate(lines, answer);
    expect(report.inScopeTotal).toBe(4);
    expect(report.recallAt1).toBe(1 / 4);
    expect(report.recallAt3).toBe(3 / 4);
    // reciprocal ranks 1, 1/2, 1/3 and 1/4
    expect(report.mrr).toBeCloseTo((1 + 0.5 + 1 / 3 + 0.25) / 4, 10);
  });

  it('counts out-of-scope abstentions and false abstentions separately', async () => {
    const report = await evaluate(lines, answer);
    expect(report.oosTotal).toBe(2);
    expect(report.oosAbstained).toBe(1);
    expect(report.falseAbstentions).toBe(1);
  });

  it('reports the same metrics per kind of query', async () => {
    const { byKind } = await evaluate(lines, answer);
    expect(Object.keys(byKind).sort()).toEqual(['keyword', 'oos', 'paraphrase']);
    expect(byKind['keyword']).toEqual({
      recallAt1: 1 / 3,
      recallAt3: 1,
      mrr: (1 + 0.5 + 1 / 3) / 3,
      oosAbstained: 0,
      oosTotal: 0,
      falseAbstentions: 1,
      inScopeTotal: 3,
    });
    expect(byKind['paraphrase']).toMatchObject({ recallAt1: 0, recallAt3: 0, mrr: 0.25 });
    expect(byKind['oos']).toMatchObject({ oosTotal: 2, oosAbstained: 1, inScopeTotal: 0, mrr: 0 });
  });

  it('counts a hit for any of several expected services at its best rank', async () => {
    const report = await evaluate(
      [line('pass', ['P1', 'P2'])],
      canned({ pass: { ids: ['X', 'P2', 'P1'], abstained: false } }),
    );
    expect(report.mrr).toBe(0.5);
    expect(report.recallAt3).toBe(1);
  });

  it('lists in-scope queries not ranked first, or abstained on, as misses', async () => {
    const report = await evaluate(lines, answer);
    expect(report.misses.map((m) => m.query)).toEqual(['zweiter', 'dritter', 'fehlt']);
    expect(report.misses[2]).toEqual({
      query: 'fehlt',
      expected: ['D'],
      got: ['X', 'Y', 'Z'],
      abstained: false,
    });
  });

  it('reports zeros for an empty query set', async () => {
    const report = await evaluate([], answer);
    expect(report).toMatchObject({ recallAt1: 0, recallAt3: 0, mrr: 0, inScopeTotal: 0 });
    expect(report.byKind).toEqual({});
  });
});
