/**
 * botbuilder's `Storage` on SQL, for conversation and user state. It keeps botbuilder's
 * `MemoryStorage` semantics, which the SDK's state classes are written against:
 *
 * - every write gives the item a new `eTag`; reads return it on the item;
 * - a change without `eTag`, or with `'*'`, overwrites; so does any change to a key that does not
 *   exist (MemoryStorage saves it whatever its eTag);
 * - a change whose `eTag` differs from the stored one is rejected with an error saying the eTag
 *   conflicted, and nothing of that change is written. Other keys of the same `write` call are
 *   still written (as in MemoryStorage, which checks key by key); the first conflict is thrown
 *   after all keys were tried;
 * - reading unknown keys omits them; deleting unknown keys is fine.
 *
 * Check and write are one statement (`UPDATE … WHERE etag = $x`, `INSERT … ON CONFLICT DO
 * NOTHING`), so of two writers holding the same eTag exactly one wins, on both backends and
 * across processes.
 */
import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { StorageError } from './errors.js';
import type { SqlClient } from './sql.js';

export interface SqlStateStorageOptions {
  now?: () => Date;
}

export class SqlStateStorage implements Storage {
  private readonly now: () => Date;

  /**
   * `sql` may be a transaction's `tx`, so a state change can commit together with other rows (the
   * outbox of a completed flow, for instance).
   */
  constructor(
    private readonly sql: SqlClient,
    options: SqlStateStorageOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** The same storage writing through another client, typically a transaction's `tx`. */
  withClient(sql: SqlClient): SqlStateStorage {
    return new SqlStateStorage(sql, { now: this.now });
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const items: StoreItems = {};
    if (keys.length === 0) return items;
    const rows = await this.sql.query<{ key: string; etag: string; document: string }>(
      `SELECT key, etag, document FROM bot_state WHERE key IN (${placeholders(keys.length)})`,
      keys,
    );
    for (const row of rows) {
      items[row.key] = { ...(JSON.parse(row.document) as object), eTag: row.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    let conflict: StorageError | undefined;
    for (const [key, item] of Object.entries(changes)) {
      const written = await this.writeItem(key, item as Record<string, unknown>);
      conflict ??= written
        ? undefined
        : new StorageError(
            'LOTSE_STORAGE_ETAG_CONFLICT',
            `Storage: error writing "${key}" due to eTag conflict.`,
          );
    }
    if (conflict) throw conflict;
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys || keys.length === 0) return;
    await this.sql.run(`DELETE FROM bot_state WHERE key IN (${placeholders(keys.length)})`, keys);
  }

  /** Writes one item; false when its eTag conflicted and nothing was written. */
  private async writeItem(key: string, item: Record<string, unknown>): Promise<boolean> {
    const { eTag, ...document } = item;
    const json = JSON.stringify(document);
    const values = [key, randomUUID(), json, this.now().toISOString()];
    if (eTag === undefined || eTag === null || eTag === '' || eTag === '*') {
      await this.sql.run(
        `INSERT INTO bot_state (key, etag, document, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE
         SET etag = excluded.etag, document = excluded.document, updated_at = excluded.updated_at`,
        values,
      );
      return true;
    }
    const updated = await this.sql.run(
      `UPDATE bot_state SET etag = $2, document = $3, updated_at = $4 WHERE key = $1 AND etag = $5`,
      [...values, String(eTag)],
    );
    if (updated.changes === 1) return true;
    // No row with that eTag: either the key is new (MemoryStorage saves it) or someone else won.
    const inserted = await this.sql.run(
      `INSERT INTO bot_state (key, etag, document, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO NOTHING`,
      values,
    );
    return inserted.changes === 1;
  }
}

/** `$1, $2, …, $n` for an IN list. */
function placeholders(count: number): string {
  return Array.from({ length: count }, (_, index) => `$${index + 1}`).join(', ');
}
