/**
 * The two backends every storage contract test runs against: SQLite in a fresh temporary
 * directory, and the real PostgreSQL of this machine in a fresh schema (so parallel test files
 * and repeated runs never see each other's rows). Not a test file itself.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { OpenStoresOptions, Stores } from '../../storage/open-store.js';
import { SQLITE_FILE_NAME, openStores } from '../../storage/open-store.js';
import { openPostgres } from '../../storage/postgres.js';
import type { SqlClient } from '../../storage/sql.js';
import { openSqlite } from '../../storage/sqlite.js';

/** The PostgreSQL used by tests (trust auth); override with LOTSE_TEST_DATABASE_URL. */
export const POSTGRES_URL =
  process.env.LOTSE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** An empty, isolated database; `open` may be called again after `close` (a restart). */
export interface TestDatabase {
  /** What `openStores` needs to reach this database. */
  readonly options: OpenStoresOptions;
  open(): Promise<Stores>;
  dispose(): Promise<void>;
}

export interface Backend {
  readonly name: 'sqlite' | 'postgres';
  createDatabase(): Promise<TestDatabase>;
}

const sqlite: Backend = {
  name: 'sqlite',
  async createDatabase() {
    const dataDir = await mkdtemp(join(tmpdir(), 'lotse-storage-'));
    const options = { dataDir };
    return {
      options,
      open: () => openStores(options),
      dispose: () => rm(dataDir, { recursive: true, force: true }),
    };
  },
};

const postgres: Backend = {
  name: 'postgres',
  async createDatabase() {
    const schema = `lotse_test_${randomBytes(6).toString('hex')}`;
    await admin(`CREATE SCHEMA ${schema}`);
    const url = new URL(POSTGRES_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const options = { dataDir: '/nonexistent/unused-with-postgres', databaseUrl: url.toString() };
    return {
      options,
      open: () => openStores(options),
      dispose: () => admin(`DROP SCHEMA ${schema} CASCADE`),
    };
  },
};

/** Both backends, for `describe.each(backends)('… ($name)', …)`. */
export const backends: readonly Backend[] = [sqlite, postgres];

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Opens stores on a fresh database of `backend` before the suite and removes everything after.
 * Tests of one suite share the database, so each uses its own keys and conversation ids.
 */
export function useStores(backend: Backend): {
  readonly stores: Stores;
  readonly database: TestDatabase;
} {
  let database: TestDatabase | undefined;
  let stores: Stores | undefined;
  beforeAll(async () => {
    database = await backend.createDatabase();
    stores = await database.open();
  });
  afterAll(async () => {
    await stores?.close();
    await database?.dispose();
  });
  return {
    get stores() {
      if (!stores) throw new Error('stores are opened in beforeAll');
      return stores;
    },
    get database() {
      if (!database) throw new Error('the database is created in beforeAll');
      return database;
    },
  };
}

/** A unique id for one test's rows, e.g. `conversation-3f9a…`. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** A promise plus the function that resolves it, to hold a transaction open at a known point. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/**
 * A bare second SQL client on a test database, as another instance (process) would have: its
 * own connection (SQLite) or pool (PostgreSQL). No migrations run.
 */
export async function openClient(options: OpenStoresOptions): Promise<SqlClient> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl)
    : openSqlite(join(options.dataDir, SQLITE_FILE_NAME));
}

/**
 * A fresh database of `backend` for one test, its stores stamping times from `clock` (a fake
 * clock the test moves). For tests that look at whole tables, like retention, where rows of
 * other tests in a shared database would interfere.
 */
export async function freshStores(
  backend: Backend,
  clock: () => Date,
): Promise<{ stores: Stores; dispose: () => Promise<void> }> {
  const database = await backend.createDatabase();
  const stores = await openStores({ ...database.options, now: clock });
  return {
    stores,
    dispose: async () => {
      await stores.close();
      await database.dispose();
    },
  };
}
