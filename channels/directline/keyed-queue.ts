/**
 * Runs tasks one after another per key: the turns of one conversation. In process a
 * `KeyedQueue`; across instances `RedisTurnLock`, so a turn on B waits for A's turn of the same
 * conversation to have saved its state.
 */
export interface TurnQueue {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

/**
 * Runs tasks one after another per key (a conversation id) while different keys run in parallel.
 * Direct Line needs this twice: appends of one conversation must reach the live streams in
 * watermark order, and two quick messages of one user must not run their turns concurrently
 * (they would read and write the same conversation state).
 */
export class KeyedQueue implements TurnQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `task` after every earlier task of `key` has settled; a failure does not block later ones. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** How many keys have queued or running tasks (to check that finished keys are forgotten). */
  get activeKeys(): number {
    return this.tails.size;
  }
}
