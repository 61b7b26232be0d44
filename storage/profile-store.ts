/** Once-only profiles in SQL (see `ProfileStore`). */
import type { SqlClient } from './sql.js';
import type { Profile, ProfileStore } from './types.js';

interface ProfileRow {
  user_id: string;
  entries: string;
  consented_at: string;
}

export class SqlProfileStore implements ProfileStore {
  constructor(private readonly sql: SqlClient) {}

  async get(userId: string): Promise<Profile | undefined> {
    const [row] = await this.sql.query<ProfileRow>(
      'SELECT user_id, entries, consented_at FROM profiles WHERE user_id = $1',
      [userId],
    );
    if (!row) return undefined;
    return {
      userId: row.user_id,
      entries: JSON.parse(row.entries) as Record<string, string>,
      consentedAt: row.consented_at,
    };
  }

  async save(userId: string, entries: Record<string, string>, consentedAt: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const [row] = await tx.query<ProfileRow>('SELECT entries FROM profiles WHERE user_id = $1', [
        userId,
      ]);
      const merged = {
        ...(row ? (JSON.parse(row.entries) as Record<string, string>) : {}),
        ...entries,
      };
      await tx.run(
        `INSERT INTO profiles (user_id, entries, consented_at, updated_at) VALUES ($1, $2, $3, $3)
         ON CONFLICT (user_id) DO UPDATE SET entries = excluded.entries, consented_at = excluded.consented_at,
           updated_at = excluded.updated_at`,
        [userId, JSON.stringify(merged), consentedAt],
      );
    });
  }

  async delete(userId: string): Promise<boolean> {
    const { changes } = await this.sql.run('DELETE FROM profiles WHERE user_id = $1', [userId]);
    return changes > 0;
  }
}
