/**
 * Work started without being awaited — a bot turn after the webhook was answered, a delivery, a
 * notice — kept track of until it settles, so that shutdown (and a test) can wait for it to finish
 * instead of cutting it off or sleeping. One of these serves the Direct Line adapter, the
 * messenger adapter and the Matrix sync loop alike.
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  /**
   * Starts `task` now and tracks it until it settles. A failure goes to `onError` (a log line);
   * without one it is dropped, for tasks that handle their own errors.
   */
  run(task: () => Promise<unknown>, onError: (error: unknown) => void = () => undefined): void {
    const running = task().then(() => undefined, onError);
    this.running.add(running);
    void running.then(() => this.running.delete(running));
  }

  /** Resolves when every task started so far — and every task they started — has settled. */
  async whenIdle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
