import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from '../../../../knowledge/search/dense/fusion.js';

/** Rankings over a small id alphabet, so ids recur across lists as BM25 and dense hits do. */
const ranking = fc.uniqueArray(fc.constantFrom(...'abcdefghijklmnop'.split('')), {
  maxLength: 12,
});
const rankings = fc.array(ranking, { maxLength: 5 });

describe('reciprocal rank fusion', () => {
  it('scores each id with the sum of 1 / (k + rank) over the lists that contain it', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['b', 'd'],
    ]);
    expect(fused.map((h) => h.id)).toEqual(['b', 'a', 'd', 'c']);
    expect(fused[0]!.score).toBeCloseTo(1 / 62 + 1 / 61, 12);
    expect(fused[1]!.score).toBeCloseTo(1 / 61, 12);
    expect(fused[2]!.score).toBeCloseTo(1 / 62, 12);
    expect(fused[3]!.score).toBeCloseTo(1 / 63, 12);
  });

  it('lets a small k favour the top of each list', () => {
    const rankingsWithDisagreement = [
      ['x', 'y', 'z'],
      ['y', 'z', 'x'],
      ['x', 'z', 'y'],
    ];
    expect(reciprocalRankFusion(rankingsWithDisagreement, 0).map((h) => h.id)).toEqual([
      'x',
      'y',
      'z',
    ]);
    expect(reciprocalRankFusion(rankingsWithDisagreement, 0)[0]!.score).toBeCloseTo(2 + 1 / 3, 12);
  });

  it('counts an id once per list, at its best position', () => {
    expect(reciprocalRankFusion([['a', 'b', 'a']])).toEqual([
      { id: 'a', score: 1 / 61 },
      { id: 'b', score: 1 / 62 },
    ]);
  });

  it('returns nothing for no rankings and rejects a negative or infinite k', () => {
    expect(reciprocalRankFusion([])).toEqual([]);
    expect(reciprocalRankFusion([[], []])).toEqual([]);
    expect(() => reciprocalRankFusion([['a']], -1)).toThrow(RangeError);
    expect(() => reciprocalRankFusion([['a']], Number.POSITIVE_INFINITY)).toThrow(/k ≥ 0/);
  });

  it('contains exactly the union of the ranked ids, each once', () => {
    fc.assert(
      fc.property(rankings, (lists) => {
        const ids = reciprocalRankFusion(lists).map((h) => h.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(new Set(ids)).toEqual(new Set(lists.flat()));
      }),
    );
  });

  it('puts first an id that every list ranks first', () => {
    fc.assert(
      fc.property(
        fc.array(ranking, { minLength: 1, maxLength: 5 }),
        fc.nat({ max: 100 }),
        (lists, k) => {
          const withLeader = lists.map((l) => ['leader', ...l]);
          const fused = reciprocalRankFusion(withLeader, k);
          expect(fused[0]!.id).toBe('leader');
          if (fused.length > 1) expect(fused[0]!.score).toBeGreaterThan(fused[1]!.score);
        },
      ),
    );
  });

  it('does not depend on the order of the lists', () => {
    fc.assert(
      fc.property(
        rankings.chain((lists) =>
          fc.tuple(fc.constant(lists), fc.shuffledSubarray(lists, { minLength: lists.length })),
        ),
        ([lists, shuffled]) => {
          expect(reciprocalRankFusion(shuffled)).toEqual(reciprocalRankFusion(lists));
        },
      ),
    );
  });

  it('orders by descending score, with positive scores', () => {
    fc.assert(
      fc.property(rankings, fc.double({ min: 0, max: 1000, noNaN: true }), (lists, k) => {
        const fused = reciprocalRankFusion(lists, k);
        for (const [i, hit] of fused.entries()) {
          expect(hit.score).toBeGreaterThan(0);
          if (i > 0) expect(hit.score).toBeLessThanOrEqual(fused[i - 1]!.score);
        }
      }),
    );
  });

  it('keeps the order of a single list', () => {
    fc.assert(
      fc.property(ranking, (list) => {
        expect(reciprocalRankFusion([list]).map((h) => h.id)).toEqual(list);
      }),
    );
  });

  it('ranks an id higher when it moves up in one list, all else equal', () => {
    fc.assert(
      fc.property(fc.array(ranking, { minLength: 1, maxLength: 4 }), fc.nat(), (lists, pick) => {
        const [first, ...rest] = lists;
        if (!first || first.length < 2) return;
        const from = 1 + (pick % (first.length - 1));
        const promoted = [...first];
        const [moved] = promoted.splice(from, 1);
        promoted.unshift(moved!);
        const before = reciprocalRankFusion([first, ...rest]).find((h) => h.id === moved)!;
        const after = reciprocalRankFusion([promoted, ...rest]).find((h) => h.id === moved)!;
        expect(after.score).toBeGreaterThan(before.score);
      }),
    );
  });
});
