/**
 * The schema, as an ordered list of versioned migrations recorded in `schema_migrations`. They run
 * at open, in one transaction: either all pending migrations apply or none does. Two processes
 * starting at once are safe: on PostgreSQL the transaction first takes an advisory lock (scoped to
 * the current schema, so isolated test schemas do not wait for each other); on SQLite BEGIN
 * IMMEDIATE takes the database's write lock.
 *
 * To change the schema, append a migration with the next version; never edit an applied one.
 * Version 5 added the outbox (flows/outbox) this way; version 7 shows how to change a table's
 * CHECK constraints on both engines (new table, copy, drop, rename); version 8 added the messenger
 * channels' tables (storage/channel-store.ts); version 9 shows a column type that differs by
 * engine (BLOB on SQLite, BYTEA on PostgreSQL) for shared uploads.
 */
import { StorageError } from './errors.js';
import type { SqlClient, SqlDialect } from './sql.js';

export interface Migration {
  /** Position in the history: 1, 2, 3, … without gaps. */
  version: number;
  /** What the migration does, for `schema_migrations` and error messages. */
  name: string;
  /** The statements, one per entry (both drivers run one statement per call). */
  up(dialect: SqlDialect): readonly string[];
}

/** Lotse's schema history. Text ids, ISO-8601 text timestamps, JSON as text: portable as is. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'bot state (botbuilder Storage with eTags)',
    up: () => [
      `CREATE TABLE bot_state (
        key TEXT PRIMARY KEY,
        etag TEXT NOT NULL,
        document TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: 'conversations and their activity log',
    up: () => [
      `CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        user_id TEXT,
        created_at TEXT NOT NULL,
        last_watermark INTEGER NOT NULL DEFAULT 0
      )`,
      `CREATE TABLE activities (
        conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        watermark INTEGER NOT NULL,
        activity TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (conversation_id, watermark)
      )`,
      `CREATE INDEX activities_created_at ON activities (created_at)`,
    ],
  },
  {
    version: 3,
    name: 'answer feedback',
    up: () => [
      `CREATE TABLE feedback (
        conversation_id TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        service_id TEXT,
        facet TEXT,
        rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
        created_at TEXT NOT NULL,
        PRIMARY KEY (conversation_id, activity_id)
      )`,
      `CREATE INDEX feedback_created_at ON feedback (created_at)`,
    ],
  },
  {
    version: 4,
    name: 'handoff requests, one open per conversation',
    up: () => [
      `CREATE TABLE handoff_requests (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('user-request', 'repeated-failure')),
        service_id TEXT,
        status TEXT NOT NULL CHECK (status IN ('pending', 'assigned', 'resolved')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `CREATE UNIQUE INDEX handoff_requests_one_open ON handoff_requests (conversation_id)
        WHERE status IN ('pending', 'assigned')`,
      `CREATE INDEX handoff_requests_queue ON handoff_requests (status, created_at)`,
    ],
  },
  {
    version: 5,
    name: 'outbox of submissions to backends',
    up: () => [
      `CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        receipt TEXT NOT NULL UNIQUE,
        flow TEXT NOT NULL,
        service_id TEXT,
        connector TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        payload TEXT NOT NULL,
        conversation TEXT,
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'rejected', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        locked_until TEXT,
        last_error TEXT,
        backend_reference TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        delivered_at TEXT
      )`,
      `CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending'`,
      `CREATE INDEX outbox_created_at ON outbox (created_at)`,
    ],
  },
  {
    version: 6,
    name: 'once-only profiles, kept with the user’s consent',
    up: () => [
      `CREATE TABLE profiles (
        user_id TEXT PRIMARY KEY,
        entries TEXT NOT NULL,
        consented_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
    ],
  },
  {
    version: 7,
    name: 'staff console: handoff queue by department, staff, presence, insights',
    up: (dialect) => [
      // SQLite cannot change a CHECK constraint in place: build the new table, copy, swap. Rows
      // from before keep their status and queue as `allgemein` in German.
      `CREATE TABLE handoff_requests_v7 (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('user-request', 'repeated-failure')),
        service_id TEXT,
        department TEXT NOT NULL DEFAULT 'allgemein',
        language TEXT NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en')),
        conversation TEXT,
        status TEXT NOT NULL
          CHECK (status IN ('pending', 'assigned', 'resolved', 'rejected', 'expired')),
        agent TEXT,
        contact TEXT,
        close_reason TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        assigned_at TEXT,
        closed_at TEXT
      )`,
      `INSERT INTO handoff_requests_v7
         (id, conversation_id, channel, reason, service_id, department, language, status,
          created_at, updated_at, closed_at)
       SELECT id, conversation_id, channel, reason, service_id, 'allgemein', 'de', status,
          created_at, updated_at, CASE WHEN status = 'resolved' THEN updated_at END
       FROM handoff_requests`,
      `DROP TABLE handoff_requests`,
      `ALTER TABLE handoff_requests_v7 RENAME TO handoff_requests`,
      // PostgreSQL keeps the primary key's index name through the rename; give it the usual one.
      ...(dialect === 'postgres'
        ? ['ALTER INDEX handoff_requests_v7_pkey RENAME TO handoff_requests_pkey']
        : []),
      `CREATE UNIQUE INDEX handoff_requests_one_open ON handoff_requests (conversation_id)
        WHERE status IN ('pending', 'assigned')`,
      `CREATE INDEX handoff_requests_queue ON handoff_requests (status, department, created_at)`,
      `CREATE TABLE staff_accounts (
        username TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('agent', 'editor', 'admin')),
        display_name TEXT,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        disabled_at TEXT
      )`,
      `CREATE TABLE staff_sessions (
        id_hash TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      )`,
      `CREATE INDEX staff_sessions_username ON staff_sessions (username)`,
      `CREATE INDEX staff_sessions_expires_at ON staff_sessions (expires_at)`,
      `CREATE TABLE staff_presence (
        username TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('available', 'away')),
        departments TEXT NOT NULL,
        last_seen_at TEXT NOT NULL
      )`,
      `CREATE TABLE question_log (
        id TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        group_key TEXT NOT NULL,
        language TEXT NOT NULL CHECK (language IN ('de', 'en')),
        outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'low-confidence', 'abstained')),
        confidence REAL NOT NULL,
        service_id TEXT,
        created_at TEXT NOT NULL
      )`,
      `CREATE INDEX question_log_created_at ON question_log (created_at)`,
      `CREATE INDEX question_log_group_key ON question_log (group_key)`,
      `CREATE TABLE flow_events (
        id TEXT PRIMARY KEY,
        run_id TEXT NOT NULL,
        flow TEXT NOT NULL,
        event TEXT NOT NULL CHECK (event IN ('started', 'step', 'completed', 'abandoned')),
        detail TEXT,
        by_staff INTEGER NOT NULL DEFAULT 0 CHECK (by_staff IN (0, 1)),
        created_at TEXT NOT NULL
      )`,
      `CREATE INDEX flow_events_flow_created_at ON flow_events (flow, created_at)`,
      `ALTER TABLE conversations ADD COLUMN entered_by TEXT`,
    ],
  },
  {
    version: 8,
    name: 'messenger channels: delivery dedup, choice tokens, chat windows',
    up: () => [
      // A webhook retried (or delivered to two instances) is processed once: the key is claimed
      // by an INSERT … ON CONFLICT DO NOTHING. created_at is for a retention job.
      `CREATE TABLE channel_deliveries (
        channel TEXT NOT NULL,
        delivery_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (channel, delivery_id)
      )`,
      `CREATE INDEX channel_deliveries_created_at ON channel_deliveries (created_at)`,
      // The choices of recent bot messages, so a pressed button's token or a typed number maps
      // back to a value. `seq` orders a conversation's sets (timestamps may tie); its unique
      // index makes two writers that picked the same `seq` collide instead of both winning.
      `CREATE TABLE channel_choices (
        conversation_id TEXT NOT NULL,
        set_id TEXT NOT NULL,
        number INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        title TEXT NOT NULL,
        value TEXT,
        numbered INTEGER NOT NULL CHECK (numbered IN (0, 1)),
        created_at TEXT NOT NULL,
        PRIMARY KEY (conversation_id, set_id, number)
      )`,
      `CREATE UNIQUE INDEX channel_choices_order ON channel_choices (conversation_id, seq, number)`,
      `CREATE INDEX channel_choices_created_at ON channel_choices (conversation_id, created_at)`,
      // The last message a user sent per chat: WhatsApp allows free-form replies for 24 hours.
      `CREATE TABLE channel_chats (
        channel TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        last_inbound_at TEXT NOT NULL,
        PRIMARY KEY (channel, chat_id)
      )`,
    ],
  },
  {
    version: 9,
    name: 'several instances: shared uploads and app secrets; indexes for retention',
    up: (dialect) => [
      // Files users attach, in the database so that any instance serves a file another received.
      // No foreign key to conversations: a messenger keeps a photo before the conversation row
      // exists. Retention and erasure delete uploads together with their conversation.
      `CREATE TABLE uploads (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        content_type TEXT NOT NULL,
        name TEXT NOT NULL,
        bytes ${dialect === 'postgres' ? 'BYTEA' : 'BLOB'} NOT NULL,
        created_at TEXT NOT NULL
      )`,
      `CREATE INDEX uploads_conversation_id ON uploads (conversation_id)`,
      `CREATE INDEX uploads_created_at ON uploads (created_at)`,
      // Secrets every instance must share (the Direct Line token secret), created once by
      // whichever instance starts first (INSERT … ON CONFLICT DO NOTHING, then SELECT).
      `CREATE TABLE app_secrets (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        created_at TEXT NOT NULL
      )`,
      // What the retention job (storage/retention.ts) looks rows up by.
      `CREATE INDEX conversations_created_at ON conversations (created_at)`,
      `CREATE INDEX conversations_user_id ON conversations (user_id)`,
      `CREATE INDEX bot_state_updated_at ON bot_state (updated_at)`,
      `CREATE INDEX handoff_requests_conversation_id ON handoff_requests (conversation_id)`,
      `CREATE INDEX flow_events_created_at ON flow_events (created_at)`,
      `CREATE INDEX channel_choices_created_at_all ON channel_choices (created_at)`,
    ],
  },
];

/**
 * Applies the migrations of `list` that the database has not recorded yet and returns their
 * versions (empty when the schema is current, so running it again is harmless). A failure rolls
 * everything back and throws `LOTSE_STORAGE_MIGRATION_FAILED` naming the migration.
 */
export async function migrate(
  sql: SqlClient,
  list: readonly Migration[] = migrations,
  now: () => Date = () => new Date(),
): Promise<number[]> {
  assertOrdered(list);
  return sql.transaction(async (tx) => {
    if (tx.dialect === 'postgres') {
      await tx.query(
        `SELECT pg_advisory_xact_lock(hashtext('lotse.migrations:' || coalesce(current_schema(), '')))`,
      );
    }
    await tx.run(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL
      )`,
    );
    const rows = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => Number(row.version)));
    const pending = list.filter((migration) => !applied.has(migration.version));
    for (const migration of pending) {
      try {
        for (const statement of migration.up(tx.dialect)) await tx.run(statement);
      } catch (cause) {
        throw new StorageError(
          'LOTSE_STORAGE_MIGRATION_FAILED',
          `storage: migration ${migration.version} (${migration.name}) failed: ${(cause as Error).message}`,
          { cause },
        );
      }
      await tx.run(
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
        [migration.version, migration.name, now().toISOString()],
      );
    }
    return pending.map((migration) => migration.version);
  });
}

/** Refuses a history with gaps, duplicates or disorder: that is a merge mistake, not a schema. */
export function assertOrdered(list: readonly Migration[]): void {
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new StorageError(
        'LOTSE_STORAGE_MIGRATION_FAILED',
        `storage: migration "${migration.name}" has version ${migration.version}, expected ${index + 1}`,
      );
    }
  });
}
