/**
 * Detects a call to the outer SQL client from inside one of its own transactions. On SQLite that
 * call would queue behind the transaction that is waiting for it (a silent deadlock); on
 * PostgreSQL it would run on another connection, outside the transaction. Both are bugs, so both
 * backends reject it the same way and tests on either backend catch it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { StorageError } from './errors.js';

export class TransactionGuard {
  private readonly context = new AsyncLocalStorage<{ active: boolean }>();

  /** Throws `LOTSE_STORAGE_MISUSE` when the current async context is inside a transaction. */
  assertOutside(): void {
    if (this.context.getStore()?.active) {
      throw new StorageError(
        'LOTSE_STORAGE_MISUSE',
        'storage: the outer SQL client was called inside its own transaction; use the `tx` client',
      );
    }
  }

  /**
   * Runs `fn` marked as inside a transaction. The mark is switched off when `fn` settles, so a
   * timer `fn` started that fires later is not mistaken for transaction code.
   */
  async within<T>(fn: () => Promise<T>): Promise<T> {
    const mark = { active: true };
    try {
      return await this.context.run(mark, fn);
    } finally {
      mark.active = false;
    }
  }
}

/** Throws when a transaction client is used after its transaction committed or rolled back. */
export function assertTransactionOpen(ended: boolean): void {
  if (ended) {
    throw new StorageError(
      'LOTSE_STORAGE_MISUSE',
      'storage: a transaction client was used after its transaction ended',
    );
  }
}
