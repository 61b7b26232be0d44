/**
 * Runs async tasks one after another. better-sqlite3 is synchronous and has one connection, but
 * our transactions are async (they await between statements); without this queue a second caller
 * could run its statements between another caller's BEGIN and COMMIT and become part of (or be
 * rolled back with) a transaction that is not its own.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task queued before it has settled; a failure does not stop the queue. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves when every task queued so far has settled. */
  async drain(): Promise<void> {
    await this.tail;
  }
}
