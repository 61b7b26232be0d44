/**
 * The one SQL seam of Lotse. Stores write each statement once, with PostgreSQL's `$1, $2`
 * placeholders, and run it on either backend through this interface. SQLite understands `$1` as a
 * named parameter, so the SQLite client binds `{ 1: …, 2: … }` and never rewrites SQL text (no
 * risk of touching a `$1` inside a string literal; a parameter may be used twice or out of order).
 *
 * Portable value choices: text for ids, ISO-8601 timestamps and JSON documents; INTEGER 0/1 for
 * booleans. `bindValue` applies them so both drivers receive the same values.
 */
import { StorageError } from './errors.js';

/** Which SQL engine a client talks to; migrations may branch on it, stores should not need to. */
export type SqlDialect = 'sqlite' | 'postgres';

/**
 * A minimal async SQL client. Outside a transaction every call is its own atomic statement.
 * Inside `transaction(fn)` use only the `tx` handed to `fn`: calling the outer client there is
 * rejected with `LOTSE_STORAGE_MISUSE`, because on SQLite (one connection) it would wait for the
 * transaction forever, and on PostgreSQL it would silently run outside it.
 */
export interface SqlClient {
  readonly dialect: SqlDialect;
  /** Runs a statement that returns rows (SELECT, or INSERT/UPDATE … RETURNING). */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a statement for its effect; `changes` counts the rows inserted, updated or deleted. */
  run(sql: string, params?: unknown[]): Promise<{ changes: number }>;
  /**
   * Runs `fn` in a transaction: committed when `fn` resolves, rolled back when it throws. Nested
   * calls on `tx` use a savepoint, so an inner failure that the caller catches undoes only the
   * inner part.
   */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /** Releases the connection(s); the client is unusable afterwards. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Converts one parameter to the portable representation: `undefined` → NULL, booleans → 0/1,
 * dates → ISO text. Plain objects are refused: JSON is stored as text the caller serialised, so a
 * forgotten `JSON.stringify` fails loudly on both backends instead of only on SQLite.
 */
export function bindValue(value: unknown, index: number): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && !Buffer.isBuffer(value)) {
    throw new StorageError(
      'LOTSE_STORAGE_INVALID_INPUT',
      `storage: parameter $${index + 1} is an object; serialise JSON to text before binding it`,
    );
  }
  return value;
}

/** Applies `bindValue` to a parameter list. */
export function bindValues(params: readonly unknown[] | undefined): unknown[] {
  return (params ?? []).map((value, index) => bindValue(value, index));
}

/** Savepoint names for nested transactions, unique per depth within one transaction. */
export function savepointName(depth: number): string {
  return `lotse_sp_${depth}`;
}
