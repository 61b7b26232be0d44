import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StorageError, maskDatabaseUrl } from '../../storage/errors.js';
import { SQLITE_FILE_NAME, openStores } from '../../storage/open-store.js';
import { backends, uniqueId } from './backends.js';

describe.each(backends)('stores on $name after a restart', (backend) => {
  it('still hold the state, transcript, feedback, handoff and staff login written before', async () => {
    const database = await backend.createDatabase();
    try {
      const before = await database.open();
      await before.state.write({ 'webchat/conversations/c1': { topic: 'Personalausweis' } });
      await before.transcripts.createConversation({
        id: 'c1',
        createdAt: '2025-03-01T10:00:00.000Z',
      });
      await before.transcripts.append('c1', { type: 'message', text: 'Hallo' });
      await before.feedback.record({
        conversationId: 'c1',
        activityId: 'a1',
        rating: 'up',
        createdAt: '2025-03-01T10:01:00.000Z',
      });
      const request = await before.handoffs.request({
        conversationId: 'c1',
        channel: 'webchat',
        reason: 'user-request',
        department: 'allgemein',
        language: 'de',
      });
      const account = await before.staffAccounts.upsert({
        username: 'anna',
        role: 'agent',
        passwordHash: '$scrypt$n=16384,r=8,p=1$salt$hash',
      });
      const session = {
        idHash: 'a'.repeat(64),
        username: 'anna',
        csrfToken: 'token',
        createdAt: '2025-03-01T10:00:00.000Z',
        lastSeenAt: '2025-03-01T10:00:00.000Z',
        expiresAt: '2025-03-01T22:00:00.000Z',
      };
      await before.staffSessions.create(session);
      await before.close();

      const after = await database.open();
      try {
        const state = await after.state.read(['webchat/conversations/c1']);
        expect(state['webchat/conversations/c1']).toMatchObject({ topic: 'Personalausweis' });
        expect((await after.transcripts.list('c1', 0)).activities).toEqual([
          { type: 'message', text: 'Hallo' },
        ]);
        expect(await after.transcripts.append('c1', { type: 'message' })).toBe(2);
        expect(await after.feedback.list()).toHaveLength(1);
        expect(await after.handoffs.openFor('c1')).toEqual(request);
        expect(await after.staffAccounts.get('anna')).toEqual(account);
        expect(await after.staffSessions.get(session.idHash)).toEqual(session);
      } finally {
        await after.close();
      }
    } finally {
      await database.dispose();
    }
  });
});

describe('openStores with SQLite', () => {
  it(`keeps the database in ${SQLITE_FILE_NAME} inside the data directory, creating it`, async () => {
    const database = await backends[0]!.createDatabase();
    try {
      const dataDir = join(database.options.dataDir, 'nested', 'data');
      const stores = await openStores({ dataDir });
      await stores.close();
      expect(existsSync(join(dataDir, SQLITE_FILE_NAME))).toBe(true);
    } finally {
      await database.dispose();
    }
  });

  it('opens a private in-memory database for :memory:', async () => {
    const stores = await openStores({ dataDir: ':memory:' });
    await stores.state.write({ key: { n: 1 } });
    expect((await stores.state.read(['key'])).key).toMatchObject({ n: 1 });
    await stores.close();
  });

  it('names the data directory when it cannot be created', async () => {
    const database = await backends[0]!.createDatabase();
    try {
      const file = join(database.options.dataDir, 'a-file');
      await writeFile(file, 'not a directory');
      const error = await openStores({ dataDir: join(file, 'data') }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ code: 'LOTSE_STORAGE_UNAVAILABLE' });
      expect((error as Error).message).toContain(join(file, 'data'));
    } finally {
      await database.dispose();
    }
  });

  it('fails the ping once closed, so /readyz reports the store down', async () => {
    const stores = await openStores({ dataDir: ':memory:' });
    await stores.close();
    await expect(stores.ping()).rejects.toMatchObject({ code: 'LOTSE_STORAGE_UNAVAILABLE' });
  });
});

describe('openStores with a bad DATABASE_URL', () => {
  it('names the server with the password masked when nothing listens there', async () => {
    const password = uniqueId('s3cret');
    const error = await openStores({
      dataDir: ':memory:',
      databaseUrl: `postgres://lotse:${password}@127.0.0.1:1/lotse`,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: 'LOTSE_STORAGE_UNAVAILABLE' });
    const message = (error as Error).message;
    expect(message).toContain('postgres://lotse:***@127.0.0.1:1/lotse');
    expect(message).toContain('ECONNREFUSED');
    expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain(password);
  });

  it('names the server with the password masked when the login is refused', async () => {
    const password = uniqueId('s3cret');
    const url = new URL('postgres://127.0.0.1:5432/test');
    url.username = uniqueId('nobody');
    url.password = password;
    const error = await openStores({ dataDir: ':memory:', databaseUrl: url.toString() }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'LOTSE_STORAGE_UNAVAILABLE' });
    expect((error as Error).message).toContain(`${url.username}:***@127.0.0.1:5432/test`);
    expect((error as Error).message).not.toContain(password);
  });
});

describe('maskDatabaseUrl', () => {
  it('masks the password of a URL and keeps the rest', () => {
    expect(maskDatabaseUrl('postgres://lotse:geheim@db.example:5432/lotse?sslmode=require')).toBe(
      'postgres://lotse:***@db.example:5432/lotse?sslmode=require',
    );
  });

  it('masks a password given as a query parameter', () => {
    expect(maskDatabaseUrl('postgres://db.example/lotse?user=lotse&password=geheim')).toBe(
      'postgres://db.example/lotse?user=lotse&password=***',
    );
  });

  it('leaves a URL without password unchanged', () => {
    expect(maskDatabaseUrl('postgres://postgres@127.0.0.1:5432/test')).toBe(
      'postgres://postgres@127.0.0.1:5432/test',
    );
  });

  it('masks passwords in strings that are not valid URLs', () => {
    expect(maskDatabaseUrl('postgres://lotse:ge heim@[bad/lotse')).toBe(
      'postgres://lotse:***@[bad/lotse',
    );
    expect(maskDatabaseUrl('host=db user=lotse password=geheim dbname=lotse')).toBe(
      'host=db user=lotse password=*** dbname=lotse',
    );
  });
});
