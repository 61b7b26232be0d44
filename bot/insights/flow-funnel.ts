/**
 * Records how far applications in dialog get — started, each field answered, completed or
 * abandoned (cancelled, expired, handed to a person) — for the editors' funnels. A run is named by
 * a random id only. Recording never fails a citizen's turn.
 */
import type { FlowEventRecord, InsightsStore } from '../../storage/types.js';

export class FlowFunnel {
  constructor(
    private readonly store: InsightsStore | undefined,
    private readonly now: () => Date,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  async record(event: Omit<FlowEventRecord, 'createdAt'>): Promise<void> {
    if (!this.store) return;
    try {
      await this.store.recordFlowEvent({ ...event, createdAt: this.now().toISOString() });
    } catch (error) {
      this.onError(error as Error);
    }
  }

  /** One `step` event per field newly answered in this turn. */
  async steps(
    run: { runId: string; flow: string; byStaff: boolean },
    before: readonly string[],
    after: readonly string[],
  ): Promise<void> {
    for (const field of after.filter((f) => !before.includes(f))) {
      await this.record({ ...run, event: 'step', detail: field });
    }
  }
}
