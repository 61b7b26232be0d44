/**
 * Agent presence in SQL (see `PresenceStore`): each open console sends a heartbeat, which
 * replaces the agent's row. Kept in the database rather than in memory so that every instance
 * sees the same agents when it tells a citizen whether anyone is online; an agent whose heartbeat
 * stops simply drops out of `online(since)`, no clean-up needed.
 */
import { assertOneOf, assertText } from './input-checks.js';
import type { SqlClient } from './sql.js';
import type { PresenceStore, StaffPresence } from './types.js';

interface PresenceRow {
  username: string;
  status: StaffPresence['status'];
  departments: string;
  last_seen_at: string;
}

const STATUSES: readonly StaffPresence['status'][] = ['available', 'away'];
const MAX_NAME_LENGTH = 200;

export class SqlPresenceStore implements PresenceStore {
  constructor(private readonly sql: SqlClient) {}

  /** Records that the agent is there, with their status and departments as of `lastSeenAt`. */
  async heartbeat(presence: StaffPresence): Promise<void> {
    assertText('presence username', presence.username, MAX_NAME_LENGTH);
    assertOneOf('presence status', presence.status, STATUSES);
    presence.departments.forEach((department) =>
      assertText('presence department', department, MAX_NAME_LENGTH),
    );
    await this.sql.run(
      `INSERT INTO staff_presence (username, status, departments, last_seen_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (username) DO UPDATE SET status = excluded.status,
         departments = excluded.departments, last_seen_at = excluded.last_seen_at`,
      [
        presence.username,
        presence.status,
        JSON.stringify(presence.departments),
        presence.lastSeenAt,
      ],
    );
  }

  async remove(username: string): Promise<void> {
    await this.sql.run('DELETE FROM staff_presence WHERE username = $1', [username]);
  }

  /** Agents seen at or after `since`, available or away, by username. */
  async online(since: string): Promise<StaffPresence[]> {
    const rows = await this.sql.query<PresenceRow>(
      `SELECT username, status, departments, last_seen_at FROM staff_presence
       WHERE last_seen_at >= $1 ORDER BY username`,
      [since],
    );
    return rows.map((row) => ({
      username: row.username,
      status: row.status,
      departments: JSON.parse(row.departments) as string[],
      lastSeenAt: row.last_seen_at,
    }));
  }
}
