/**
 * Keeps the questions Lotse could not answer well, for the editors: masked (redact.ts), grouped
 * by topic (group-key.ts), with no user or conversation id. Confident answers are not kept at all
 * (data minimisation). Recording never fails a citizen's turn: insights are secondary.
 */
import type { AskResult } from '../../knowledge/answers/ask.js';
import type { InsightsStore, QuestionOutcome } from '../../storage/types.js';
import { questionGroupKey } from './group-key.js';
import { redactQuestion } from './redact.js';

/** Answers below this confidence count as low-confidence in the insights. */
export const LOW_CONFIDENCE = 0.8;

/** The outcome of a question, or undefined when it was answered confidently. */
export function questionOutcome(result: AskResult): QuestionOutcome | undefined {
  if (!result.answer) return 'abstained';
  return result.answer.confidence < LOW_CONFIDENCE ? 'low-confidence' : undefined;
}

/** Records weak questions into the insights store. */
export class QuestionInsights {
  constructor(
    private readonly store: InsightsStore,
    private readonly now: () => Date,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  async record(text: string, result: AskResult): Promise<void> {
    const outcome = questionOutcome(result);
    if (!outcome || !text.trim()) return;
    const serviceId = result.answer?.service.id ?? result.candidates[0]?.id;
    try {
      await this.store.recordQuestion({
        text: redactQuestion(text),
        groupKey: questionGroupKey(text),
        language: result.language,
        outcome,
        confidence: result.answer?.confidence ?? 0,
        ...(serviceId ? { serviceId } : {}),
        createdAt: this.now().toISOString(),
      });
    } catch (error) {
      this.onError(error as Error);
    }
  }
}
