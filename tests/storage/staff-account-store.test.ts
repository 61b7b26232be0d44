import { describe, expect, it } from 'vitest';
import { SqlStaffAccountStore } from '../../storage/staff-account-store.js';
import type { StaffAccount } from '../../storage/types.js';
import { backends, uniqueId, useStores } from './backends.js';

describe.each(backends)('staff accounts on $name', (backend) => {
  const context = useStores(backend);

  /** A store on the suite's database with a clock the test moves. */
  const clocked = (start: string) => {
    let time = new Date(start);
    return {
      store: new SqlStaffAccountStore(context.stores.sql, { now: () => time }),
      at(iso: string) {
        time = new Date(iso);
      },
    };
  };

  const account = (username: string): Omit<StaffAccount, 'createdAt' | 'updatedAt'> => ({
    username,
    role: 'agent',
    displayName: 'Anna',
    passwordHash: '$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA',
  });

  it('creates an account and gives it back as stored', async () => {
    const clock = clocked('2030-01-01T10:00:00.000Z');
    const username = uniqueId('anna');
    const created = await clock.store.upsert(account(username));
    expect(created).toEqual({
      ...account(username),
      createdAt: '2030-01-01T10:00:00.000Z',
      updatedAt: '2030-01-01T10:00:00.000Z',
    });
    expect(await clock.store.get(username)).toEqual(created);
  });

  it('replaces role, name and hash of an existing account, keeps its creation time and re-enables it', async () => {
    const clock = clocked('2030-01-01T10:00:00.000Z');
    const username = uniqueId('ben');
    await clock.store.upsert(account(username));
    clock.at('2030-01-02T10:00:00.000Z');
    expect(await clock.store.disable(username)).toBe(true);
    clock.at('2030-01-03T10:00:00.000Z');
    const replaced = await clock.store.upsert({
      username,
      role: 'editor',
      passwordHash: 'new-hash',
    });
    expect(replaced).toEqual({
      username,
      role: 'editor',
      passwordHash: 'new-hash',
      createdAt: '2030-01-01T10:00:00.000Z',
      updatedAt: '2030-01-03T10:00:00.000Z',
    });
  });

  it('has no account for an unknown username', async () => {
    expect(await context.stores.staffAccounts.get(uniqueId('nobody'))).toBeUndefined();
  });

  it('lists accounts by username', async () => {
    const prefix = uniqueId('list');
    for (const name of ['c', 'a', 'b']) {
      await context.stores.staffAccounts.upsert(account(`${prefix}-${name}`));
    }
    const listed = (await context.stores.staffAccounts.list())
      .map((a) => a.username)
      .filter((name) => name.startsWith(prefix));
    expect(listed).toEqual([`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
  });

  it('replaces the password hash, stamping the change', async () => {
    const clock = clocked('2030-02-01T10:00:00.000Z');
    const username = uniqueId('carla');
    await clock.store.upsert(account(username));
    clock.at('2030-02-01T11:00:00.000Z');
    await clock.store.setPasswordHash(username, 'stronger-hash');
    expect(await clock.store.get(username)).toMatchObject({
      passwordHash: 'stronger-hash',
      updatedAt: '2030-02-01T11:00:00.000Z',
    });
  });

  it('disables an account once, keeping the first time, and reports unknown usernames', async () => {
    const clock = clocked('2030-03-01T10:00:00.000Z');
    const username = uniqueId('dora');
    await clock.store.upsert(account(username));
    clock.at('2030-03-01T11:00:00.000Z');
    expect(await clock.store.disable(username)).toBe(true);
    clock.at('2030-03-01T12:00:00.000Z');
    expect(await clock.store.disable(username)).toBe(true);
    expect((await clock.store.get(username))?.disabledAt).toBe('2030-03-01T11:00:00.000Z');
    expect(await clock.store.disable(uniqueId('nobody'))).toBe(false);
  });

  it.each([
    ['an unknown role', { role: 'root' }],
    ['an empty username', { username: '' }],
    ['an over-long username', { username: 'x'.repeat(101) }],
    ['an empty password hash', { passwordHash: '' }],
  ])('refuses %s', async (_, override) => {
    await expect(
      context.stores.staffAccounts.upsert({
        ...account(uniqueId('eve')),
        ...(override as Partial<StaffAccount>),
      }),
    ).rejects.toMatchObject({ code: 'LOTSE_STORAGE_INVALID_INPUT' });
  });
});
