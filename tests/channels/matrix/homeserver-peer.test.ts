/** The test homeserver refuses what a real one refuses, so passing tests mean something. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HomeserverPeer } from './homeserver-peer.js';

describe('the test homeserver', () => {
  let peer: HomeserverPeer;
  const call = (path: string, init: RequestInit = {}, token: string | null = peer.token) =>
    fetch(`${peer.origin}${path}`, {
      ...init,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    });

  beforeEach(async () => {
    peer = await HomeserverPeer.start();
  });
  afterEach(() => peer.close());

  it('needs the access token in the Authorization header', async () => {
    const missing = await call(
      `/_matrix/client/v3/account/whoami?access_token=${peer.token}`,
      {},
      null,
    );
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ errcode: 'M_MISSING_TOKEN' });
    const wrong = await call('/_matrix/client/v3/account/whoami', {}, 'nope');
    expect(await wrong.json()).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
  });

  it('answers unknown endpoints and bad bodies with standard errors', async () => {
    const unknown = await call('/_matrix/client/v3/rooms/x/typing/y', { method: 'PUT' });
    expect([unknown.status, await unknown.json()]).toMatchObject([
      404,
      { errcode: 'M_UNRECOGNIZED' },
    ]);
    const room = peer.inviteBot('@anna:localhost');
    const bad = await call(`/_matrix/client/v3/join/${encodeURIComponent(room)}`, {
      method: 'POST',
      body: '{nope',
    });
    expect([bad.status, await bad.json()]).toMatchObject([400, { errcode: 'M_NOT_JSON' }]);
    const notInvited = peer.createRoom('@ben:localhost');
    const refused = await call(`/_matrix/client/v3/join/${encodeURIComponent(notInvited)}`, {
      method: 'POST',
      body: '{}',
    });
    expect([refused.status, await refused.json()]).toMatchObject([403, { errcode: 'M_FORBIDDEN' }]);
  });

  it('answers a long poll with nothing new after its timeout, keeping the position', async () => {
    const first = (await (await call('/_matrix/client/v3/sync')).json()) as { next_batch: string };
    const poll = await call(`/_matrix/client/v3/sync?since=${first.next_batch}&timeout=10`);
    expect(await poll.json()).toMatchObject({
      next_batch: first.next_batch,
      rooms: { join: {}, invite: {} },
    });
  });

  it('answers a waiting long poll as soon as something happens', async () => {
    const first = (await (await call('/_matrix/client/v3/sync')).json()) as { next_batch: string };
    const poll = call(`/_matrix/client/v3/sync?since=${first.next_batch}&timeout=60000`);
    await peer.waitFor(() => peer.waitingPolls === 1);
    const room = peer.inviteBot('@anna:localhost');
    const body = (await (await poll).json()) as { rooms: { invite: Record<string, unknown> } };
    expect(Object.keys(body.rooms.invite)).toEqual([room]);
  });
});
