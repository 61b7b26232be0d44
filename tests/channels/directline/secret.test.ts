/**
 * The Direct Line secret survives restarts: generated once, kept with mode 0600, and the same
 * for processes that start at the same time.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateSecret, SECRET_FILE_NAME } from '../../../channels/directline/secret.js';

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
