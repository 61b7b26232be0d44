import { describe, expect, it } from 'vitest';
import { StorageError } from '../../storage/errors.js';
import { backends, gate, uniqueId, useStores } from './backends.js';

describe.each(backends)('the SQL client on $name', (backend) => {
  const context = useStores(backend);

  async function scratchTable(): Promise<string> {
    const table = uniqueId('scratch').replace('-', '_');
    await context.stores.sql.run(
      `CREATE TABLE ${table} (id TEXT PRIMARY KEY, n INTEGER, flag INTEGER)`,
    );
    return table;
  }

  it('reports its dialect', () => {
    expect(context.stores.sql.dialect).toBe(backend.name);
  });

  it('binds $n placeholders by number, reused and out of order', async () => {
    const rows = await context.stores.sql.query<{ a: string; b: string; c: string }>(
      'SELECT $2 AS a, $1 AS b, $2 AS c',
      ['one', 'two'],
    );
    expect(rows).toEqual([{ a: 'two', b: 'one', c: 'two' }]);
  });

  it('leaves a $1 inside a string literal alone', async () => {
    const rows = await context.stores.sql.query<{ literal: string; bound: string }>(
      "SELECT '$1' AS literal, $1 AS bound",
      ['value'],
    );
    expect(rows).toEqual([{ literal: '$1', bound: 'value' }]);
  });

  it('stores booleans as 0/1 and undefined as NULL', async () => {
    const table = await scratchTable();
    await context.stores.sql.run(`INSERT INTO ${table} (id, n, flag) VALUES ($1, $2, $3)`, [
      'a',
      undefined,
      true,
    ]);
    const rows = await context.stores.sql.query(`SELECT n, flag FROM ${table}`);
    expect(rows).toEqual([{ n: null, flag: 1 }]);
  });

  it('refuses an object parameter so JSON is always serialised explicitly', async () => {
    await expect(context.stores.sql.query('SELECT $1 AS x', [{ a: 1 }])).rejects.toMatchObject({
      code: 'LOTSE_STORAGE_INVALID_INPUT',
    });
  });

  it('counts the rows a statement changed', async () => {
    const table = await scratchTable();
    await context.stores.sql.run(
      `INSERT INTO ${table} (id, n) VALUES ('a', 1), ('b', 1), ('c', 2)`,
    );
    expect(await context.stores.sql.run(`UPDATE ${table} SET n = 5 WHERE n = 1`)).toEqual({
      changes: 2,
    });
  });

  it('commits a transaction that resolves and returns its value', async () => {
    const table = await scratchTable();
    const value = await context.stores.sql.transaction(async (tx) => {
      await tx.run(`INSERT INTO ${table} (id) VALUES ('a')`);
      return 42;
    });
    expect(value).toBe(42);
    expect(await context.stores.sql.query(`SELECT id FROM ${table}`)).toEqual([{ id: 'a' }]);
  });

  it('rolls back a transaction that throws and rethrows its error', async () => {
    const table = await scratchTable();
    await expect(
      context.stores.sql.transaction(async (tx) => {
        await tx.run(`INSERT INTO ${table} (id) VALUES ('a')`);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await context.stores.sql.query(`SELECT id FROM ${table}`)).toEqual([]);
  });

  it('undoes only the inner part when a nested transaction fails and is caught', async () => {
    const table = await scratchTable();
    await context.stores.sql.transaction(async (tx) => {
      await tx.run(`INSERT INTO ${table} (id) VALUES ('outer')`);
      await tx
        .transaction(async (inner) => {
          await inner.run(`INSERT INTO ${table} (id) VALUES ('inner')`);
          throw new Error('inner failure');
        })
        .catch(() => undefined);
    });
    expect(await context.stores.sql.query(`SELECT id FROM ${table}`)).toEqual([{ id: 'outer' }]);
  });

  it('never shows another caller the uncommitted rows of a transaction', async () => {
    const table = await scratchTable();
    const inserted = gate();
    const release = gate();
    const transaction = context.stores.sql.transaction(async (tx) => {
      await tx.run(`INSERT INTO ${table} (id) VALUES ('uncommitted')`);
      inserted.open();
      await release.promise;
      throw new Error('roll back');
    });
    await inserted.promise;
    const count = context.stores.sql.query<{ n: number | string }>(
      `SELECT count(*) AS n FROM ${table}`,
    );
    release.open();
    await expect(transaction).rejects.toThrow('roll back');
    expect(Number((await count)[0]?.n)).toBe(0);
  });

  it('keeps concurrent transactions apart so each commits all of its rows or none', async () => {
    const table = await scratchTable();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        context.stores.sql.transaction(async (tx) => {
          await tx.run(`INSERT INTO ${table} (id, n) VALUES ($1, $2)`, [`first-${i}`, i]);
          await Promise.resolve();
          if (i % 2 === 1) throw new Error(`odd ${i}`);
          await tx.run(`INSERT INTO ${table} (id, n) VALUES ($1, $2)`, [`second-${i}`, i]);
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(5);
    const rows = await context.stores.sql.query<{ n: number }>(
      `SELECT n FROM ${table} ORDER BY n, id`,
    );
    expect(rows.map((r) => r.n)).toEqual([0, 0, 2, 2, 4, 4, 6, 6, 8, 8]);
  });

  it('rejects a call to the outer client from inside its own transaction', async () => {
    const sql = context.stores.sql;
    const error = await sql
      .transaction(async () => sql.query('SELECT 1 AS one'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: 'LOTSE_STORAGE_MISUSE' });
  });

  it('rejects a transaction client used after its transaction ended', async () => {
    const leaked = await context.stores.sql.transaction(async (tx) => tx);
    await expect(leaked.query('SELECT 1 AS one')).rejects.toMatchObject({
      code: 'LOTSE_STORAGE_MISUSE',
    });
  });

  it('answers a ping while the database is reachable', async () => {
    await expect(context.stores.ping()).resolves.toBeUndefined();
  });
});
