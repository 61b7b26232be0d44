/**
 * The composition root's one call for persistence: opens the database (SQLite in the data
 * directory by default, PostgreSQL when a URL is configured), brings the schema up to date and
 * builds every store on that one connection or pool.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqlOutboxStore } from '../flows/outbox/outbox-store.js';
import { SqlProfileStore } from './profile-store.js';
import { SqlChannelStore } from './channel-store.js';
import { SqlErasure } from './erasure.js';
import { StorageError } from './errors.js';
import { SqlFeedbackStore } from './feedback-store.js';
import { SqlHandoffStore } from './handoff-store.js';
import { SqlInsightsStore } from './insights-store.js';
import { migrate } from './migrations.js';
import { openPostgres } from './postgres.js';
import { SqlPresenceStore } from './presence-store.js';
import { SqlRetention } from './retention.js';
import type { SqlClient } from './sql.js';
import { openSqlite } from './sqlite.js';
import { SqlStaffAccountStore } from './staff-account-store.js';
import { SqlStaffSessionStore } from './staff-session-store.js';
import { SqlStateStorage } from './state-storage.js';
import { SqlTranscriptStore } from './transcript-store.js';
import { SqlUploadStore } from './upload-store.js';
import type {
  ChannelStore,
  ErasureStore,
  FeedbackStore,
  HandoffStore,
  InsightsStore,
  PresenceStore,
  RetentionStore,
  StaffAccountStore,
  StaffSessionStore,
  TranscriptStore,
} from './types.js';

/** The SQLite file inside the data directory. */
export const SQLITE_FILE_NAME = 'lotse.db';

export interface OpenStoresOptions {
  /**
   * Where the SQLite file lives (created if missing). Ignored when `databaseUrl` is set.
   * `':memory:'` opens a private in-memory database, for tests.
   */
  dataDir: string;
  /** A PostgreSQL URL (`postgres://user:password@host:5432/db`); SQLite when absent. */
  databaseUrl?: string;
  /** Reports errors of idle PostgreSQL connections (the pool recovers by itself); log them. */
  onIdleError?: (error: Error) => void;
  /** The clock for stored timestamps; tests pass a fixed one. */
  now?: () => Date;
}

export interface Stores {
  /** The client the stores share, for transactions spanning stores (`state.withClient(tx)`). */
  sql: SqlClient;
  state: SqlStateStorage;
  transcripts: TranscriptStore;
  feedback: FeedbackStore;
  handoffs: HandoffStore;
  /** Submissions of completed flows awaiting delivery; enqueue with `tx` next to the state write. */
  outbox: SqlOutboxStore;
  profiles: SqlProfileStore;
  /** Staff console logins: accounts (never deleted, only disabled) … */
  staffAccounts: StaffAccountStore;
  /** … and their sessions, shared by every instance. */
  staffSessions: StaffSessionStore;
  /** Which agents are online, from their consoles' heartbeats. */
  presence: PresenceStore;
  /** Masked questions, flow steps and summaries for the editors. */
  insights: InsightsStore;
  /** Messenger channels: processed deliveries, offered choices, last inbound time per chat. */
  channels: ChannelStore;
  /** Files users attached, shared by every instance (replaces `MemoryUploadStore`). */
  uploads: SqlUploadStore;
  /** The retention job's deletes; run it on a timer with the configured periods. */
  retention: RetentionStore;
  /** A user's "Daten löschen" in the database (Redis and caches are the caller's part). */
  erase: ErasureStore;
  /** One round trip to the database, for /readyz; throws when it is unreachable. */
  ping(): Promise<void>;
  /** Closes the connection(s); call once at shutdown. */
  close(): Promise<void>;
}

/**
 * Opens the configured database, runs pending migrations and returns the stores. Fails with
 * `LOTSE_STORAGE_UNAVAILABLE` (naming the file, or the URL with its password masked) or
 * `LOTSE_STORAGE_MIGRATION_FAILED`; no connection is left open after a failure.
 */
export async function openStores(options: OpenStoresOptions): Promise<Stores> {
  const sql = options.databaseUrl
    ? await openPostgres(options.databaseUrl, { onIdleError: options.onIdleError })
    : openSqlite(sqliteFile(options.dataDir));
  try {
    await migrate(sql);
  } catch (error) {
    await sql.close();
    throw error;
  }
  const clock = { now: options.now ?? (() => new Date()) };
  return {
    sql,
    state: new SqlStateStorage(sql, clock),
    transcripts: new SqlTranscriptStore(sql, clock),
    feedback: new SqlFeedbackStore(sql),
    handoffs: new SqlHandoffStore(sql, clock),
    outbox: new SqlOutboxStore(sql, clock),
    profiles: new SqlProfileStore(sql),
    staffAccounts: new SqlStaffAccountStore(sql, clock),
    staffSessions: new SqlStaffSessionStore(sql),
    presence: new SqlPresenceStore(sql),
    insights: new SqlInsightsStore(sql),
    channels: new SqlChannelStore(sql, clock),
    uploads: new SqlUploadStore(sql),
    retention: new SqlRetention(sql),
    erase: new SqlErasure(sql),
    ping: async () => {
      await sql.query('SELECT 1');
    },
    close: () => sql.close(),
  };
}

function sqliteFile(dataDir: string): string {
  if (dataDir === ':memory:') return dataDir;
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (cause) {
    throw new StorageError(
      'LOTSE_STORAGE_UNAVAILABLE',
      `storage: could not create the data directory ${dataDir}: ${(cause as Error).message}`,
      { cause },
    );
  }
  return join(dataDir, SQLITE_FILE_NAME);
}
