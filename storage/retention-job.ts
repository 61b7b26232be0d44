/**
 * Runs the retention deletes (storage/retention.ts) on a timer inside `lotse serve`, so an
 * installation does not depend on an external cron to keep its promise of deleting data.
 * Failures are logged and tried again at the next tick; a run still going skips the next tick.
 */
import type { RetentionPolicy, RetentionReport, RetentionStore } from './types.js';

/** How often `lotse serve` runs retention by default: hourly keeps each run small. */
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

export interface RetentionJobOptions {
  retention: RetentionStore;
  policy: RetentionPolicy;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void };
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
}

export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RetentionReport | undefined> | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: RetentionJobOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Runs now and then every `intervalMs`; the timer does not keep the process alive. */
  start(intervalMs: number = RETENTION_INTERVAL_MS): void {
    if (this.timer) return;
    void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a run in progress (call before closing the stores). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /**
   * One run: the rows deleted per table, or undefined when it failed or another run was still
   * going. Logs the counts when anything was deleted (counts only, never ids).
   */
  async runOnce(): Promise<RetentionReport | undefined> {
    if (this.running) return undefined;
    const { retention, policy, log } = this.options;
    this.running = retention
      .run(this.now(), policy)
      .then((report) => {
        if (Object.values(report).some((n) => n > 0)) log.info({ deleted: report }, 'retention');
        return report;
      })
      .catch((error: Error) => {
        log.warn({ err: error.message }, 'retention failed');
        return undefined;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
