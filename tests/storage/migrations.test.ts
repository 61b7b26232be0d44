import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Migration } from '../../storage/migrations.js';
import { assertOrdered, migrate, migrations } from '../../storage/migrations.js';
import type { OpenStoresOptions } from '../../storage/open-store.js';
import { SQLITE_FILE_NAME, openStores } from '../../storage/open-store.js';
import { openPostgres } from '../../storage/postgres.js';
import type { SqlClient } from '../../storage/sql.js';
import { openSqlite } from '../../storage/sqlite.js';
import { backends, uniqueId } from './backends.js';

/** The bare SQL client of a test database, without running any migration. */
async function openClient(options: OpenStoresOptions): Promise<SqlClient> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl)
    : openSqlite(join(options.dataDir, SQLITE_FILE_NAME));
}

const versions = migrations.map((m) => m.version);

describe('the migration history', () => {
  it('is numbered 1, 2, 3 … without gaps', () => {
    expect(versions).toEqual(Array.from({ length: migrations.length }, (_, i) => i + 1));
  });

  it('refuses a history with a gap or out of order, naming the migration', () => {
    const step = (version: number): Migration => ({
      version,
      name: `step ${version}`,
      up: () => [],
    });
    expect(() => assertOrdered([step(1), step(3)])).toThrow(/"step 3" has version 3, expected 2/);
    expect(() => assertOrdered([step(2), step(1)])).toThrow(/expected 1/);
  });
});

describe.each(backends)('migrations on $name', (backend) => {
  it('run at open and apply nothing the second time', async () => {
    const database = await backend.createDatabase();
    try {
      const first = await database.open();
      await first.close();
      const second = await database.open();
      try {
        expect(await migrate(second.sql)).toEqual([]);
        const rows = await second.sql.query<{ version: number }>(
          'SELECT version FROM schema_migrations ORDER BY version',
        );
        expect(rows.map((r) => Number(r.version))).toEqual(versions);
      } finally {
        await second.close();
      }
    } finally {
      await database.dispose();
    }
  });

  it('apply only the migrations added since the last start', async () => {
    const database = await backend.createDatabase();
    const stores = await database.open();
    try {
      const table = uniqueId('later').replace('-', '_');
      const later: Migration = {
        version: migrations.length + 1,
        name: 'a later stage adds a table',
        up: () => [`CREATE TABLE ${table} (id TEXT PRIMARY KEY)`],
      };
      expect(await migrate(stores.sql, [...migrations, later])).toEqual([later.version]);
      expect(await stores.sql.query(`SELECT id FROM ${table}`)).toEqual([]);
    } finally {
      await stores.close();
      await database.dispose();
    }
  });

  it('roll back a failing migration completely and name it in the error', async () => {
    const database = await backend.createDatabase();
    const stores = await database.open();
    try {
      const table = uniqueId('half').replace('-', '_');
      const broken: Migration = {
        version: migrations.length + 1,
        name: 'broken on purpose',
        up: () => [`CREATE TABLE ${table} (id TEXT)`, 'CREATE TABLE ( nonsense'],
      };
      await expect(migrate(stores.sql, [...migrations, broken])).rejects.toMatchObject({
        code: 'LOTSE_STORAGE_MIGRATION_FAILED',
        message: expect.stringContaining(
          `migration ${broken.version} (broken on purpose)`,
        ) as unknown,
      });
      await expect(stores.sql.query(`SELECT id FROM ${table}`)).rejects.toThrow();
      const rows = await stores.sql.query(
        'SELECT version FROM schema_migrations WHERE version = $1',
        [broken.version],
      );
      expect(rows).toEqual([]);
    } finally {
      await stores.close();
      await database.dispose();
    }
  });
});

describe.each(backends)('migration 7 (staff console) on $name', (backend) => {
  it('keeps handoff requests of version 6, queued as allgemein in German', async () => {
    const database = await backend.createDatabase();
    try {
      const v6 = await openClient(database.options);
      try {
        expect(await migrate(v6, migrations.slice(0, 6))).toEqual([1, 2, 3, 4, 5, 6]);
        const insert = `INSERT INTO handoff_requests
            (id, conversation_id, channel, reason, service_id, status, created_at, updated_at)
          VALUES ($1, $2, 'webchat', $3, $4, $5, $6, $7)`;
        await v6.run(insert, [
          'old-pending',
          'c-old',
          'user-request',
          '10115',
          'pending',
          '2025-01-01T10:00:00.000Z',
          '2025-01-01T10:00:00.000Z',
        ]);
        await v6.run(insert, [
          'old-resolved',
          'c-old',
          'repeated-failure',
          null,
          'resolved',
          '2024-12-01T10:00:00.000Z',
          '2024-12-01T11:00:00.000Z',
        ]);
        await v6.run(
          `INSERT INTO conversations (id, user_id, created_at) VALUES ('c-old', 'u', 'x')`,
        );
      } finally {
        await v6.close();
      }

      const stores = await database.open();
      try {
        expect(await stores.handoffs.get('old-pending')).toEqual({
          id: 'old-pending',
          conversationId: 'c-old',
          channel: 'webchat',
          reason: 'user-request',
          serviceId: '10115',
          department: 'allgemein',
          language: 'de',
          status: 'pending',
          createdAt: '2025-01-01T10:00:00.000Z',
          updatedAt: '2025-01-01T10:00:00.000Z',
        });
        expect(await stores.handoffs.get('old-resolved')).toMatchObject({
          status: 'resolved',
          closedAt: '2024-12-01T11:00:00.000Z',
        });
        expect(await stores.handoffs.queuePosition('old-pending')).toBe(1);
        // The rebuilt table still holds one open request per conversation.
        expect(
          (
            await stores.handoffs.request({
              conversationId: 'c-old',
              channel: 'webchat',
              reason: 'user-request',
              department: 'Bürgeramt',
              language: 'en',
            })
          ).id,
        ).toBe('old-pending');
        expect(await stores.transcripts.getConversation('c-old')).toEqual({
          id: 'c-old',
          userId: 'u',
          createdAt: 'x',
        });
        await expect(
          stores.sql.run(`UPDATE handoff_requests SET status = 'lost' WHERE id = 'old-pending'`),
        ).rejects.toThrow();
      } finally {
        await stores.close();
      }
    } finally {
      await database.dispose();
    }
  });

  it('creates the staff, presence and insights tables with their constraints', async () => {
    const database = await backend.createDatabase();
    const stores = await database.open();
    try {
      for (const table of [
        'staff_accounts',
        'staff_sessions',
        'staff_presence',
        'question_log',
        'flow_events',
      ]) {
        expect(await stores.sql.query(`SELECT * FROM ${table}`)).toEqual([]);
      }
      await expect(
        stores.sql.run(
          `INSERT INTO staff_accounts (username, role, password_hash, created_at, updated_at)
           VALUES ('x', 'root', 'h', 't', 't')`,
        ),
      ).rejects.toThrow();
      await expect(
        stores.sql.run(
          `INSERT INTO flow_events (id, run_id, flow, event, by_staff, created_at)
           VALUES ('e', 'r', 'f', 'started', 2, 't')`,
        ),
      ).rejects.toThrow();
      await expect(
        stores.sql.run(
          `INSERT INTO question_log (id, text, group_key, language, outcome, confidence, created_at)
           VALUES ('q', 't', 'g', 'de', 'guessed', 0.5, 't')`,
        ),
      ).rejects.toThrow();
    } finally {
      await stores.close();
      await database.dispose();
    }
  });
});

describe('migrations on PostgreSQL started by several processes at once', () => {
  it('apply once while the others wait and find the schema current', async () => {
    const postgres = backends.find((b) => b.name === 'postgres');
    if (!postgres) throw new Error('the postgres backend is missing');
    const database = await postgres.createDatabase();
    try {
      const opened = await Promise.all(
        Array.from({ length: 5 }, () => openStores(database.options)),
      );
      const rows = await opened[0]!.sql.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(rows.map((r) => Number(r.version))).toEqual(versions);
      await Promise.all(opened.map((stores) => stores.close()));
    } finally {
      await database.dispose();
    }
  });
});
