/**
 * The Direct Line secret: configured by the operator, or generated once and kept so a restart
 * does not invalidate every token in every open browser tab. With a database given it is kept
 * there (table `app_secrets`), so several instances with their own data directories accept each
 * other's tokens; without one it is kept in the data directory.
 *
 * The file is written under a temporary name with mode 0600 and then hard-linked into place;
 * linking never replaces an existing file, so two processes starting at once agree on one
 * secret, and no reader ever sees a half-written one.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { claimAppSecret } from '../../storage/app-secrets.js';
import type { SqlClient } from '../../storage/sql.js';

/** The file inside the data directory. */
export const SECRET_FILE_NAME = 'directline-secret';

/** The row in the database's `app_secrets` table. */
export const SECRET_NAME = 'directline';

const MIN_LENGTH = 16;

/**
 * Returns `configured` when given; else, with `sql`, the secret kept in the database (created on
 * first use, atomically, so instances starting together agree); else the secret kept in
 * `<dataDir>/directline-secret`, creating it on first use. A new secret is 32 random bytes in
 * base64url. Moving an installation to the database keeps its tokens valid: the first instance
 * to store a secret there offers the one from its data directory, if it has one.
 */
export async function loadOrCreateSecret(
  dataDir: string,
  configured?: string,
  sql?: SqlClient,
): Promise<string> {
  if (configured !== undefined && configured !== '') {
    if (configured.length < MIN_LENGTH) {
      throw new Error(
        `directline secret: the configured secret must have at least ${MIN_LENGTH} characters`,
      );
    }
    return configured;
  }
  const file = join(dataDir, SECRET_FILE_NAME);
  const existing = await readSecret(file);
  if (sql) {
    const stored = await claimAppSecret(sql, SECRET_NAME, existing ?? newSecret());
    if (stored.length < MIN_LENGTH) {
      throw new Error(
        `directline secret: the database's app_secrets row "${SECRET_NAME}" holds no usable ` +
          `secret (fewer than ${MIN_LENGTH} characters); delete it to have a new one generated`,
      );
    }
    return stored;
  }
  if (existing !== undefined) return existing;

  await mkdir(dataDir, { recursive: true });
  const secret = newSecret();
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readSecret(file);
    if (winner === undefined) throw error;
    return winner;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

async function readSecret(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const secret = text.trim();
  if (secret.length < MIN_LENGTH) {
    throw new Error(
      `directline secret: ${file} holds no usable secret (fewer than ${MIN_LENGTH} characters); ` +
        'delete it to have a new one generated (open chats will need new tokens)',
    );
  }
  return secret;
}
