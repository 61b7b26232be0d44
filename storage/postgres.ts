/**
 * The scale-out backend: a `pg` pool shared by all stores of one process; several Lotse processes
 * share the database. A transaction takes a dedicated pooled connection for its whole life
 * (BEGIN … COMMIT/ROLLBACK on that connection), so concurrent transactions never mix.
 */
import pg from 'pg';
import { StorageError, maskDatabaseUrl } from './errors.js';
import type { SqlClient } from './sql.js';
import { bindValues } from './sql.js';
import type { StatementExecutor } from './transaction-client.js';
import { runTransaction } from './transaction-client.js';
import { TransactionGuard } from './transaction-guard.js';

export interface PostgresOptions {
  /** Connections per process. Default 10 (pg's default). */
  maxConnections?: number;
  /** How long to wait for a connection before failing. Default 10 000 ms. */
  connectionTimeoutMs?: number;
  /**
   * Called when an idle pooled connection fails (server restart, network). Without a listener pg
   * would crash the process; the pool replaces the connection by itself, so logging is enough.
   */
  onIdleError?: (error: Error) => void;
}

/**
 * Connects to PostgreSQL at `url` and checks the connection with a round trip, so a wrong URL
 * fails at start with `LOTSE_STORAGE_UNAVAILABLE` and the password-masked URL in the message,
 * not at the first user's turn.
 */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<SqlClient> {
  const unavailable = (cause: unknown) =>
    new StorageError(
      'LOTSE_STORAGE_UNAVAILABLE',
      `storage: could not connect to PostgreSQL at ${maskDatabaseUrl(url)}: ${(cause as Error).message}`,
      { cause },
    );
  let pool: pg.Pool;
  try {
    pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    });
  } catch (cause) {
    throw unavailable(cause);
  }
  pool.on('error', options.onIdleError ?? (() => undefined));
  try {
    await pool.query('SELECT 1');
  } catch (cause) {
    await pool.end().catch(() => undefined);
    throw unavailable(cause);
  }
  return new PostgresClient(pool);
}

class PostgresClient implements SqlClient {
  readonly dialect = 'postgres' as const;
  private readonly guard = new TransactionGuard();
  private closed: Promise<void> | undefined;

  constructor(private readonly pool: pg.Pool) {}

  async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    this.guard.assertOutside();
    const result = await this.pool.query(sql, bindValues(params));
    return result.rows as T[];
  }

  async run(sql: string, params?: unknown[]): Promise<{ changes: number }> {
    this.guard.assertOutside();
    const result = await this.pool.query(sql, bindValues(params));
    return { changes: result.rowCount ?? 0 };
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    this.guard.assertOutside();
    const connection = await this.pool.connect();
    let broken: Error | undefined;
    try {
      return await this.guard.within(() =>
        runTransaction(connectionExecutor(connection), 'BEGIN', fn, (error) => {
          broken = error as Error;
        }),
      );
    } finally {
      // A connection whose ROLLBACK failed may still hold the transaction: destroy it.
      connection.release(broken);
    }
  }

  close(): Promise<void> {
    this.closed ??= this.pool.end();
    return this.closed;
  }
}

function connectionExecutor(connection: pg.PoolClient): StatementExecutor {
  return {
    dialect: 'postgres',
    query: async <T>(sql: string, params?: unknown[]) =>
      (await connection.query(sql, bindValues(params))).rows as T[],
    run: async (sql: string, params?: unknown[]) => ({
      changes: (await connection.query(sql, bindValues(params))).rowCount ?? 0,
    }),
  };
}
