import { describe, expect, it } from 'vitest';
import type { StaffPresence } from '../../storage/types.js';
import { backends, uniqueId, useStores } from './backends.js';

describe.each(backends)('agent presence on $name', (backend) => {
  const context = useStores(backend);

  const presence = (username: string, overrides: Partial<StaffPresence> = {}): StaffPresence => ({
    username,
    status: 'available',
    departments: ['Bürgeramt Mitte', 'allgemein'],
    lastSeenAt: '2030-01-01T10:00:00.000Z',
    ...overrides,
  });

  /** The agents of this test among those online since `since`. */
  const online = async (since: string, usernames: string[]) =>
    (await context.stores.presence.online(since)).filter((p) => usernames.includes(p.username));

  it('lists an agent after a heartbeat, with status and departments', async () => {
    const anna = presence(uniqueId('anna'));
    await context.stores.presence.heartbeat(anna);
    expect(await online('2030-01-01T10:00:00.000Z', [anna.username])).toEqual([anna]);
  });

  it('replaces the agent’s presence with each heartbeat', async () => {
    const username = uniqueId('ben');
    await context.stores.presence.heartbeat(presence(username));
    const later = presence(username, {
      status: 'away',
      departments: [],
      lastSeenAt: '2030-01-01T10:01:00.000Z',
    });
    await context.stores.presence.heartbeat(later);
    expect(await online('2030-01-01T10:00:00.000Z', [username])).toEqual([later]);
  });

  it('counts only agents seen at or after the cut-off, by username', async () => {
    const prefix = uniqueId('team');
    const gone = presence(`${prefix}-a`, { lastSeenAt: '2030-02-01T09:58:59.999Z' });
    const exactly = presence(`${prefix}-c`, { lastSeenAt: '2030-02-01T09:59:00.000Z' });
    const fresh = presence(`${prefix}-b`, { lastSeenAt: '2030-02-01T10:00:00.000Z' });
    for (const p of [gone, exactly, fresh]) await context.stores.presence.heartbeat(p);
    expect(
      await online('2030-02-01T09:59:00.000Z', [gone.username, exactly.username, fresh.username]),
    ).toEqual([fresh, exactly]);
  });

  it('forgets an agent who logged out', async () => {
    const carla = presence(uniqueId('carla'));
    await context.stores.presence.heartbeat(carla);
    await context.stores.presence.remove(carla.username);
    expect(await online('2000-01-01T00:00:00.000Z', [carla.username])).toEqual([]);
  });

  it('refuses an unknown status and an empty department', async () => {
    for (const broken of [
      presence('x', { status: 'busy' as 'away' }),
      presence('x', { departments: [''] }),
    ]) {
      await expect(context.stores.presence.heartbeat(broken)).rejects.toMatchObject({
        code: 'LOTSE_STORAGE_INVALID_INPUT',
      });
    }
  });
});
