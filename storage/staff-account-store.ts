/**
 * Staff accounts in SQL (see `StaffAccountStore`). Accounts are never deleted, only disabled, so
 * a handoff or an application entered by staff keeps naming a username that existed. The store
 * keeps the password hash as given; hashing and verifying belong to the console's auth module.
 */
import { assertOneOf, assertText } from './input-checks.js';
import type { SqlClient } from './sql.js';
import type { StaffAccount, StaffAccountStore, StaffRole } from './types.js';

export interface SqlStaffAccountStoreOptions {
  /** The clock for `createdAt`, `updatedAt` and `disabledAt`; tests pass a fixed one. */
  now?: () => Date;
}

interface StaffAccountRow {
  username: string;
  role: StaffRole;
  display_name: string | null;
  password_hash: string;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
}

const COLUMNS = 'username, role, display_name, password_hash, created_at, updated_at, disabled_at';
const ROLES: readonly StaffRole[] = ['agent', 'editor', 'admin'];
/** Longest username and display name kept. */
export const MAX_STAFF_NAME_LENGTH = 100;
/** A PHC string of scrypt is about 120 characters; leave room for stronger parameters. */
const MAX_HASH_LENGTH = 1000;

export class SqlStaffAccountStore implements StaffAccountStore {
  private readonly now: () => Date;

  constructor(
    private readonly sql: SqlClient,
    options: SqlStaffAccountStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async get(username: string): Promise<StaffAccount | undefined> {
    const [row] = await this.sql.query<StaffAccountRow>(
      `SELECT ${COLUMNS} FROM staff_accounts WHERE username = $1`,
      [username],
    );
    return row ? toAccount(row) : undefined;
  }

  /**
   * Creates the account, or replaces role, display name and hash of an existing one (its
   * `createdAt` stays). An absent `displayName` clears the stored one: to keep it, pass it on
   * (as `lotse staff add` does without --name). The account is enabled afterwards unless
   * `disabledAt` is given.
   */
  async upsert(account: Omit<StaffAccount, 'createdAt' | 'updatedAt'>): Promise<StaffAccount> {
    assertText('staff username', account.username, MAX_STAFF_NAME_LENGTH);
    assertOneOf('staff role', account.role, ROLES);
    if (account.displayName !== undefined) {
      assertText('staff display name', account.displayName, MAX_STAFF_NAME_LENGTH);
    }
    assertText('staff password hash', account.passwordHash, MAX_HASH_LENGTH);
    const [row] = await this.sql.query<StaffAccountRow>(
      `INSERT INTO staff_accounts
         (username, role, display_name, password_hash, created_at, updated_at, disabled_at)
       VALUES ($1, $2, $3, $4, $5, $5, $6)
       ON CONFLICT (username) DO UPDATE SET role = excluded.role,
         display_name = excluded.display_name, password_hash = excluded.password_hash,
         updated_at = excluded.updated_at, disabled_at = excluded.disabled_at
       RETURNING ${COLUMNS}`,
      [
        account.username,
        account.role,
        account.displayName,
        account.passwordHash,
        this.now().toISOString(),
        account.disabledAt,
      ],
    );
    if (!row)
      throw new Error(`storage: upsert of staff account ${account.username} returned no row`);
    return toAccount(row);
  }

  /** Every account, by username. */
  async list(): Promise<StaffAccount[]> {
    const rows = await this.sql.query<StaffAccountRow>(
      `SELECT ${COLUMNS} FROM staff_accounts ORDER BY username`,
    );
    return rows.map(toAccount);
  }

  async setPasswordHash(username: string, passwordHash: string): Promise<void> {
    assertText('staff password hash', passwordHash, MAX_HASH_LENGTH);
    await this.sql.run(
      'UPDATE staff_accounts SET password_hash = $2, updated_at = $3 WHERE username = $1',
      [username, passwordHash, this.now().toISOString()],
    );
  }

  /**
   * Locks the account. True when the account exists (disabling twice keeps the first time);
   * false for an unknown username. Ending its sessions is the caller's second step.
   */
  async disable(username: string): Promise<boolean> {
    const now = this.now().toISOString();
    const { changes } = await this.sql.run(
      `UPDATE staff_accounts SET disabled_at = COALESCE(disabled_at, $2), updated_at = $2
       WHERE username = $1`,
      [username, now],
    );
    return changes > 0;
  }
}

function toAccount(row: StaffAccountRow): StaffAccount {
  return {
    username: row.username,
    role: row.role,
    ...(row.display_name === null ? {} : { displayName: row.display_name }),
    passwordHash: row.password_hash,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.disabled_at === null ? {} : { disabledAt: row.disabled_at }),
  };
}
