/**
 * Scores search on a labelled query set: recall@1, recall@3 and MRR over in-scope lines,
 * abstention on out-of-scope lines (`expected: []`) and false abstentions on in-scope lines,
 * overall and per kind of query. Used by `lotse eval`, the benchmark and the tests.
 */
import { z } from 'zod';
import { KnowledgeError } from '../errors.js';

export const EvalLineSchema = z.object({
  query: z.string().min(1),
  expected: z.array(z.union([z.string(), z.number()]).transform(String)),
  kind: z.string().min(1).default('default'),
});
export type EvalLine = z.infer<typeof EvalLineSchema>;

/** What a search system returns for scoring: ranked ids and whether it abstained. */
export interface RankedAnswer {
  ids: string[];
  abstained: boolean;
}

export interface EvalMetrics {
  recallAt1: number;
  recallAt3: number;
  mrr: number;
  oosAbstained: number;
  oosTotal: number;
  falseAbstentions: number;
  inScopeTotal: number;
}

export interface EvalReport extends EvalMetrics {
  byKind: Record<string, EvalMetrics>;
  /** In-scope queries whose expected service was not ranked first, for diagnosis. */
  misses: { query: string; expected: string[]; got: string[]; abstained: boolean }[];
}

/** Parses a JSON-lines query set; a bad line is an error naming the file and line number. */
export function parseEvalSet(text: string, file: string): EvalLine[] {
  const lines: EvalLine[] = [];
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (cause) {
      throw new KnowledgeError(
        'LOTSE_EVAL_INVALID_LINE',
        `${file}:${i + 1}: not valid JSON: ${(cause as Error).message}`,
      );
    }
    const parsed = EvalLineSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new KnowledgeError(
        'LOTSE_EVAL_INVALID_LINE',
        `${file}:${i + 1}: field "${issue?.path.join('.')}": ${issue?.message}`,
      );
    }
    lines.push(parsed.data);
  });
  return lines;
}

function metrics(lines: EvalLine[], answers: RankedAnswer[]): EvalMetrics {
  let r1 = 0,
    r3 = 0,
    rr = 0,
    oosAbstained = 0,
    oosTotal = 0,
    falseAbstentions = 0,
    inScope = 0;
  lines.forEach((line, i) => {
    const answer = answers[i] as RankedAnswer;
    if (!line.expected.length) {
      oosTotal++;
      if (answer.abstained) oosAbstained++;
      return;
    }
    inScope++;
    if (answer.abstained) falseAbstentions++;
    const rank = answer.ids.findIndex((id) => line.expected.includes(id));
    if (rank === 0) r1++;
    if (rank >= 0 && rank < 3) r3++;
    if (rank >= 0) rr += 1 / (rank + 1);
  });
  const share = (n: number) => (inScope ? n / inScope : 0);
  return {
    recallAt1: share(r1),
    recallAt3: share(r3),
    mrr: share(rr),
    oosAbstained,
    oosTotal,
    falseAbstentions,
    inScopeTotal: inScope,
  };
}

/** Runs every query through `answer` (one at a time, in order) and scores the results. */
export async function evaluate(
  lines: EvalLine[],
  answer: (query: string) => RankedAnswer | Promise<RankedAnswer>,
): Promise<EvalReport> {
  const answers: RankedAnswer[] = [];
  for (const l of lines) answers.push(await answer(l.query));
  const kinds = [...new Set(lines.map((l) => l.kind))];
  const byKind = Object.fromEntries(
    kinds.map((k) => {
      const idx = lines.flatMap((l, i) => (l.kind === k ? [i] : []));
      return [
        k,
        metrics(
          idx.map((i) => lines[i] as EvalLine),
          idx.map((i) => answers[i] as RankedAnswer),
        ),
      ];
    }),
  );
  const misses = lines.flatMap((l, i) => {
    const a = answers[i] as RankedAnswer;
    return l.expected.length && (a.abstained || !l.expected.includes(a.ids[0] ?? ''))
      ? [{ query: l.query, expected: l.expected, got: a.ids.slice(0, 3), abstained: a.abstained }]
      : [];
  });
  return { ...metrics(lines, answers), byKind, misses };
}
