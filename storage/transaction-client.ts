/**
 * The `tx` client handed to `SqlClient.transaction(fn)`, shared by both backends: it runs
 * statements on the connection that holds the transaction and turns nested transactions into
 * savepoints. The backends differ only in how they start one (SQLite takes the write lock at
 * once with BEGIN IMMEDIATE; PostgreSQL uses a plain BEGIN on a dedicated pooled connection).
 */
import { StorageError } from './errors.js';
import type { SqlClient, SqlDialect } from './sql.js';
import { savepointName } from './sql.js';
import { assertTransactionOpen } from './transaction-guard.js';

/** Runs statements on the one connection a transaction lives on. */
export interface StatementExecutor {
  readonly dialect: SqlDialect;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<{ changes: number }>;
}

class TransactionClient implements SqlClient {
  private ended = false;

  constructor(
    private readonly executor: StatementExecutor,
    private readonly depth: number,
  ) {}

  get dialect(): SqlDialect {
    return this.executor.dialect;
  }

  async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    assertTransactionOpen(this.ended);
    return this.executor.query<T>(sql, params);
  }

  async run(sql: string, params?: unknown[]): Promise<{ changes: number }> {
    assertTransactionOpen(this.ended);
    return this.executor.run(sql, params);
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    assertTransactionOpen(this.ended);
    const name = savepointName(this.depth);
    await this.executor.run(`SAVEPOINT ${name}`);
    const inner = new TransactionClient(this.executor, this.depth + 1);
    try {
      const result = await fn(inner);
      await this.executor.run(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await this.executor.run(`ROLLBACK TO SAVEPOINT ${name}`);
      await this.executor.run(`RELEASE SAVEPOINT ${name}`);
      throw error;
    } finally {
      inner.end();
    }
  }

  async close(): Promise<void> {
    throw new StorageError(
      'LOTSE_STORAGE_MISUSE',
      'storage: a transaction client cannot be closed; close the client that opened it',
    );
  }

  end(): void {
    this.ended = true;
  }
}

/**
 * Runs `fn` between `begin` and COMMIT on `executor`, rolling back when `fn` or COMMIT throws.
 * A failing ROLLBACK (the connection is gone; the server rolls back by itself) is reported to
 * `onRollbackFailure` so the caller can discard the connection, and the original error is thrown.
 */
export async function runTransaction<T>(
  executor: StatementExecutor,
  begin: string,
  fn: (tx: SqlClient) => Promise<T>,
  onRollbackFailure: (error: unknown) => void = () => undefined,
): Promise<T> {
  await executor.run(begin);
  const tx = new TransactionClient(executor, 1);
  try {
    const result = await fn(tx);
    await executor.run('COMMIT');
    return result;
  } catch (error) {
    try {
      await executor.run('ROLLBACK');
    } catch (rollbackError) {
      onRollbackFailure(rollbackError);
    }
    throw error;
  } finally {
    tx.end();
  }
}
