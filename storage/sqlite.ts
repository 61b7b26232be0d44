/**
 * The embedded backend: one better-sqlite3 connection (v12; v13 crashes on Node 20) to
 * `lotse.db`, in WAL mode so readers in other processes (the CLI) do not block the server, with a
 * busy timeout so a writer in another process is waited for instead of failing at once.
 *
 * better-sqlite3 is synchronous, our transactions are not: every top-level call goes through a
 * `SerialQueue`, so no caller's statement can land between another caller's BEGIN and COMMIT.
 * Open one client per database file per process: a second connection in the same process would
 * block the event loop in SQLite's busy handler while the first one waits for it.
 */
import { createRequire } from 'node:module';
import { StorageError } from './errors.js';
import { SerialQueue } from './serial-queue.js';
import type { SqlClient } from './sql.js';
import { bindValues } from './sql.js';
import type { StatementExecutor } from './transaction-client.js';
import { runTransaction } from './transaction-client.js';
import { TransactionGuard } from './transaction-guard.js';

/** The part of better-sqlite3's API we use (the package ships no types; we add no @types). */
interface Statement {
  readonly reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
}
interface Database {
  prepare(sql: string): Statement;
  pragma(sql: string): unknown;
  close(): void;
  readonly inTransaction: boolean;
}
type DatabaseConstructor = new (filename: string, options?: { timeout?: number }) => Database;

const require = createRequire(import.meta.url);

export interface SqliteOptions {
  /** How long a statement waits for another process's write lock. Default 5000 ms. */
  busyTimeoutMs?: number;
}

/** Prepared statements kept per connection; the SQL of the stores is a small fixed set. */
const STATEMENT_CACHE_SIZE = 200;

/**
 * Opens (creating if needed) the SQLite database at `filename`, or a private in-memory database
 * for `':memory:'`. Fails with `LOTSE_STORAGE_UNAVAILABLE` naming the file.
 */
export function openSqlite(filename: string, options: SqliteOptions = {}): SqlClient {
  let db: Database | undefined;
  try {
    const BetterSqlite = require('better-sqlite3') as DatabaseConstructor;
    db = new BetterSqlite(filename, { timeout: options.busyTimeoutMs ?? 5000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    return new SqliteClient(db);
  } catch (cause) {
    db?.close();
    throw new StorageError(
      'LOTSE_STORAGE_UNAVAILABLE',
      `storage: could not open SQLite database ${filename}: ${(cause as Error).message}`,
      { cause },
    );
  }
}

class SqliteClient implements SqlClient {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Statement>();
  private readonly queue = new SerialQueue();
  private readonly guard = new TransactionGuard();
  private closed = false;
  /** Runs statements directly on the connection; only used by code already holding the queue. */
  private readonly executor: StatementExecutor = {
    dialect: 'sqlite',
    query: async <T>(sql: string, params?: unknown[]) => this.queryNow<T>(sql, params),
    run: async (sql: string, params?: unknown[]) => this.runNow(sql, params),
  };

  constructor(private readonly db: Database) {}

  async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    this.guard.assertOutside();
    return this.queue.run(() => this.queryNow<T>(sql, params));
  }

  async run(sql: string, params?: unknown[]): Promise<{ changes: number }> {
    this.guard.assertOutside();
    return this.queue.run(() => this.runNow(sql, params));
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    this.guard.assertOutside();
    return this.queue.run(() =>
      this.guard.within(() => runTransaction(this.executor, 'BEGIN IMMEDIATE', fn)),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.drain();
    this.statements.clear();
    this.db.close();
  }

  private queryNow<T>(sql: string, params: unknown[] | undefined): T[] {
    const statement = this.prepare(sql);
    const args = bindArguments(params);
    if (!statement.reader) {
      statement.run(...args);
      return [];
    }
    return statement.all(...args) as T[];
  }

  private runNow(sql: string, params: unknown[] | undefined): { changes: number } {
    const { changes } = this.prepare(sql).run(...bindArguments(params));
    return { changes };
  }

  private prepare(sql: string): Statement {
    if (this.closed) {
      throw new StorageError('LOTSE_STORAGE_UNAVAILABLE', 'storage: the SQLite client is closed');
    }
    const cached = this.statements.get(sql);
    if (cached) return cached;
    const statement = this.db.prepare(sql);
    if (this.statements.size >= STATEMENT_CACHE_SIZE) {
      const oldest = this.statements.keys().next().value;
      if (oldest !== undefined) this.statements.delete(oldest);
    }
    this.statements.set(sql, statement);
    return statement;
  }
}

/**
 * better-sqlite3 binds `$1` (an SQLite named parameter called "1") from an object keyed `1`; it
 * refuses an array for numbered parameters. No parameters → no argument at all.
 */
function bindArguments(params: unknown[] | undefined): unknown[] {
  const values = bindValues(params);
  if (values.length === 0) return [];
  return [Object.fromEntries(values.map((value, index) => [String(index + 1), value]))];
}
