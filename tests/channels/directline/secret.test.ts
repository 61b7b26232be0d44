/**
 * The Direct Line secret survives restarts: generated once, kept with mode 0600, and the same
 * for processes that start at the same time; with a database, the same for every instance
 * whatever its data directory.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  loadOrCreateSecret,
  SECRET_FILE_NAME,
  SECRET_NAME,
} from '../../../channels/directline/secret.js';
import { backends, openClient, useStores } from '../../storage/backends.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lotse-secret-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadOrCreateSecret', () => {
  it('returns the configured secret and writes nothing', async () => {
    const secret = await loadOrCreateSecret(dir, 'configured-secret-value');
    expect(secret).toBe('configured-secret-value');
    await expect(stat(join(dir, SECRET_FILE_NAME))).rejects.toThrow(/ENOENT/);
  });

  it('refuses a configured secret shorter than 16 characters', async () => {
    await expect(loadOrCreateSecret(dir, 'short')).rejects.toThrow(/at least 16/);
  });

  it('generates 32 random bytes once, keeps them with mode 0600, and returns them again', async () => {
    const nested = join(dir, 'data');
    const first = await loadOrCreateSecret(nested);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const file = join(nested, SECRET_FILE_NAME);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(first);
    expect(await loadOrCreateSecret(nested)).toBe(first);
  });

  it('gives processes starting at the same time the same secret', async () => {
    const secrets = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateSecret(dir)));
    expect(new Set(secrets).size).toBe(1);
  });

  it('refuses a secret file that holds no usable secret, naming the file', async () => {
    await writeFile(join(dir, SECRET_FILE_NAME), '\n');
    await expect(loadOrCreateSecret(dir)).rejects.toThrow(SECRET_FILE_NAME);
  });
});

describe.each(backends)('loadOrCreateSecret with a $name database', (backend) => {
  const context = useStores(backend);
  const stored = async () =>
    context.stores.sql.query<{ value: string }>('SELECT value FROM app_secrets WHERE name = $1', [
      SECRET_NAME,
    ]);

  beforeEach(async () => {
    await context.stores.sql.run('DELETE FROM app_secrets');
  });

  it('gives instances with their own data directories, starting together, one secret', async () => {
    // Each instance has its own connection (or pool), as separate processes would.
    const clients = [context.stores.sql, await openClient(context.database.options)];
    try {
      const secrets = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          loadOrCreateSecret(join(dir, `instance-${i}`), undefined, clients[i % 2]),
        ),
      );
      expect(new Set(secrets).size).toBe(1);
      expect(secrets[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await stored()).toEqual([{ value: secrets[0] }]);
      // Kept in the database only: no instance wrote a file.
      await expect(stat(join(dir, 'instance-0'))).rejects.toThrow(/ENOENT/);
      // A restart, or a new instance, gets the same one.
      expect(await loadOrCreateSecret(join(dir, 'later'), '', context.stores.sql)).toBe(secrets[0]);
    } finally {
      await clients[1]?.close();
    }
  });

  it('keeps the tokens of an installation moving to the database valid', async () => {
    const fileSecret = await loadOrCreateSecret(dir);
    expect(await loadOrCreateSecret(dir, undefined, context.stores.sql)).toBe(fileSecret);
    expect(await stored()).toEqual([{ value: fileSecret }]);
    // Another instance with a different file secret follows the database.
    const other = join(dir, 'other');
    const otherFile = await loadOrCreateSecret(other);
    expect(otherFile).not.toBe(fileSecret);
    expect(await loadOrCreateSecret(other, undefined, context.stores.sql)).toBe(fileSecret);
  });

  it('prefers the configured secret and stores nothing', async () => {
    expect(await loadOrCreateSecret(dir, 'configured-secret-value', context.stores.sql)).toBe(
      'configured-secret-value',
    );
    expect(await stored()).toEqual([]);
  });

  it('refuses a stored secret that is too short', async () => {
    await context.stores.sql.run(
      `INSERT INTO app_secrets (name, value, created_at) VALUES ($1, 'short', 'now')`,
      [SECRET_NAME],
    );
    await expect(loadOrCreateSecret(dir, undefined, context.stores.sql)).rejects.toThrow(
      /app_secrets/,
    );
  });
});
