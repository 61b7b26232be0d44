import { describe, expect, it } from 'vitest';
import type { Migration } from '../../storage/migrations.js';
import { assertOrdered, migrate, migrations } from '../../storage/migrations.js';
import { openStores } from '../../storage/open-store.js';
import { backends, uniqueId } from './backends.js';

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
