/**
 * Secrets every instance of one installation must share (the Direct Line token secret): kept in
 * the shared database, created once by whichever instance asks first.
 */
import { StorageError } from './errors.js';
import type { SqlClient } from './sql.js';

/**
 * Returns the secret stored under `name`, storing `candidate` first when there is none. The
 * insert is `ON CONFLICT DO NOTHING` followed by a read, so instances starting at the same moment
 * all get the one value that was stored first (on PostgreSQL a second insert waits for the first
 * to commit, then does nothing).
 */
export async function claimAppSecret(
  sql: SqlClient,
  name: string,
  candidate: string,
  now: Date = new Date(),
): Promise<string> {
  await sql.run(
    `INSERT INTO app_secrets (name, value, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO NOTHING`,
    [name, candidate, now.toISOString()],
  );
  const [row] = await sql.query<{ value: string }>(
    'SELECT value FROM app_secrets WHERE name = $1',
    [name],
  );
  if (!row) {
    throw new StorageError(
      'LOTSE_STORAGE_UNAVAILABLE',
      `storage: the app secret "${name}" was stored but cannot be read back`,
    );
  }
  return row.value;
}
