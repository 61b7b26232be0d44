/**
 * Staff console sessions in SQL (see `StaffSessionStore`). Rows are keyed by the SHA-256 of the
 * cookie's random id, never the id itself, so reading the database does not let anyone log in.
 * Sessions live in the database, not in process memory, so any instance behind the load balancer
 * recognises a login and a logout ends it everywhere.
 */
import { assertText } from './input-checks.js';
import type { SqlClient } from './sql.js';
import type { StaffSession, StaffSessionStore } from './types.js';

interface StaffSessionRow {
  id_hash: string;
  username: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

const COLUMNS = 'id_hash, username, csrf_token, created_at, last_seen_at, expires_at';
/** A hex SHA-256 is 64 characters; base64url 43. */
const MAX_HASH_LENGTH = 128;
const MAX_TOKEN_LENGTH = 256;

export class SqlStaffSessionStore implements StaffSessionStore {
  constructor(private readonly sql: SqlClient) {}

  async create(session: StaffSession): Promise<void> {
    assertText('staff session id hash', session.idHash, MAX_HASH_LENGTH);
    assertText('staff session username', session.username, MAX_TOKEN_LENGTH);
    assertText('staff session CSRF token', session.csrfToken, MAX_TOKEN_LENGTH);
    await this.sql.run(`INSERT INTO staff_sessions (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`, [
      session.idHash,
      session.username,
      session.csrfToken,
      session.createdAt,
      session.lastSeenAt,
      session.expiresAt,
    ]);
  }

  /** The stored session, expired or not: the caller checks its times against its clock. */
  async get(idHash: string): Promise<StaffSession | undefined> {
    const [row] = await this.sql.query<StaffSessionRow>(
      `SELECT ${COLUMNS} FROM staff_sessions WHERE id_hash = $1`,
      [idHash],
    );
    if (!row) return undefined;
    return {
      idHash: row.id_hash,
      username: row.username,
      csrfToken: row.csrf_token,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      expiresAt: row.expires_at,
    };
  }

  async touch(idHash: string, lastSeenAt: string): Promise<void> {
    await this.sql.run('UPDATE staff_sessions SET last_seen_at = $2 WHERE id_hash = $1', [
      idHash,
      lastSeenAt,
    ]);
  }

  async delete(idHash: string): Promise<void> {
    await this.sql.run('DELETE FROM staff_sessions WHERE id_hash = $1', [idHash]);
  }

  async deleteForUser(username: string): Promise<number> {
    const { changes } = await this.sql.run('DELETE FROM staff_sessions WHERE username = $1', [
      username,
    ]);
    return changes;
  }

  /** Deletes sessions whose absolute end is at or before `now`, or last seen before `idleBefore`. */
  async deleteExpired(now: string, idleBefore: string): Promise<number> {
    const { changes } = await this.sql.run(
      'DELETE FROM staff_sessions WHERE expires_at <= $1 OR last_seen_at < $2',
      [now, idleBefore],
    );
    return changes;
  }
}
