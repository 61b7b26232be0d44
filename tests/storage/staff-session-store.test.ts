import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StaffSession } from '../../storage/types.js';
import { backends, uniqueId, useStores } from './backends.js';

describe.each(backends)('staff sessions on $name', (backend) => {
  const context = useStores(backend);

  const session = (username: string, overrides: Partial<StaffSession> = {}): StaffSession => ({
    idHash: randomBytes(32).toString('hex'),
    username,
    csrfToken: randomBytes(16).toString('base64url'),
    createdAt: '2030-01-01T10:00:00.000Z',
    lastSeenAt: '2030-01-01T10:00:00.000Z',
    expiresAt: '2030-01-01T22:00:00.000Z',
    ...overrides,
  });

  const exists = async (s: StaffSession) =>
    (await context.stores.staffSessions.get(s.idHash)) !== undefined;

  it('gives back a created session by its id hash', async () => {
    const created = session(uniqueId('anna'));
    await context.stores.staffSessions.create(created);
    expect(await context.stores.staffSessions.get(created.idHash)).toEqual(created);
    expect(await context.stores.staffSessions.get(session('x').idHash)).toBeUndefined();
  });

  it('refuses a second session with the same id hash', async () => {
    const created = session(uniqueId('anna'));
    await context.stores.staffSessions.create(created);
    await expect(context.stores.staffSessions.create({ ...created })).rejects.toThrow();
  });

  it('records when a session was last used', async () => {
    const created = session(uniqueId('ben'));
    await context.stores.staffSessions.create(created);
    await context.stores.staffSessions.touch(created.idHash, '2030-01-01T10:20:00.000Z');
    expect(await context.stores.staffSessions.get(created.idHash)).toEqual({
      ...created,
      lastSeenAt: '2030-01-01T10:20:00.000Z',
    });
  });

  it('ends one session on logout', async () => {
    const mine = session(uniqueId('carla'));
    const other = session(mine.username);
    await context.stores.staffSessions.create(mine);
    await context.stores.staffSessions.create(other);
    await context.stores.staffSessions.delete(mine.idHash);
    expect([await exists(mine), await exists(other)]).toEqual([false, true]);
  });

  it('ends every session of a user and counts them', async () => {
    const username = uniqueId('dora');
    const someoneElse = session(uniqueId('emil'));
    await context.stores.staffSessions.create(session(username));
    await context.stores.staffSessions.create(session(username));
    await context.stores.staffSessions.create(someoneElse);
    expect(await context.stores.staffSessions.deleteForUser(username)).toBe(2);
    expect(await context.stores.staffSessions.deleteForUser(username)).toBe(0);
    expect(await exists(someoneElse)).toBe(true);
  });

  it('removes sessions past their absolute end or idle too long, and keeps the rest', async () => {
    const username = uniqueId('fritz');
    // All in the year 2100, so sessions of the other tests (in 2030) are removed too, not kept.
    const ended = session(username, {
      lastSeenAt: '2100-01-01T11:59:00.000Z',
      expiresAt: '2100-01-01T12:00:00.000Z',
    });
    const idle = session(username, {
      lastSeenAt: '2100-01-01T11:29:59.999Z',
      expiresAt: '2100-01-01T20:00:00.000Z',
    });
    const justActive = session(username, {
      lastSeenAt: '2100-01-01T11:30:00.000Z',
      expiresAt: '2100-01-01T20:00:00.000Z',
    });
    const active = session(username, {
      lastSeenAt: '2100-01-01T11:55:00.000Z',
      expiresAt: '2100-01-01T12:00:00.001Z',
    });
    for (const s of [ended, idle, justActive, active]) await context.stores.staffSessions.create(s);
    const removed = await context.stores.staffSessions.deleteExpired(
      '2100-01-01T12:00:00.000Z',
      '2100-01-01T11:30:00.000Z',
    );
    expect(removed).toBeGreaterThanOrEqual(2);
    expect(await Promise.all([ended, idle, justActive, active].map(exists))).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });

  it('refuses a session without id hash or CSRF token', async () => {
    for (const broken of [session('x', { idHash: '' }), session('x', { csrfToken: '' })]) {
      await expect(context.stores.staffSessions.create(broken)).rejects.toMatchObject({
        code: 'LOTSE_STORAGE_INVALID_INPUT',
      });
    }
  });
});
