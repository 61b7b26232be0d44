/**
 * Expires handoff requests nobody took and taken conversations nobody writes in, on a timer, so a
 * citizen is never left waiting for a person who will not come. Failures are logged and retried at
 * the next tick.
 */
import type { HandoffService } from './handoff-service.js';

export class HandoffSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly handoffs: HandoffService,
    private readonly log: { warn(o: object, m: string): void },
  ) {}

  /** Sweeps now and then every `intervalMs`. */
  start(intervalMs: number): void {
    if (this.timer) return;
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a sweep in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One sweep (skipped while the previous one still runs); returns how many expired. */
  async sweep(): Promise<number> {
    if (this.running) return 0;
    let expired = 0;
    this.running = this.handoffs
      .expireStale()
      .then((n) => {
        expired = n;
      })
      .catch((error: Error) => this.log.warn({ err: error.message }, 'handoff expiry failed'))
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
    return expired;
  }
}
