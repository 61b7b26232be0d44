import { describe, expect, it } from 'vitest';
import type { NewHandoffRequest } from '../../storage/handoff-store.js';
import { SqlHandoffStore } from '../../storage/handoff-store.js';
import { backends, uniqueId, useStores } from './backends.js';

describe.each(backends)('handoff requests on $name', (backend) => {
  const context = useStores(backend);

  const input = (conversationId: string, department = 'Bürgeramt Mitte'): NewHandoffRequest => ({
    conversationId,
    channel: 'webchat',
    reason: 'user-request',
    serviceId: '10115',
    department,
    language: 'en',
    conversation: { conversation: { id: conversationId }, serviceUrl: 'https://lotse.example' },
  });

  /** A store on the suite's database with a clock the test moves. */
  const clocked = (start: string) => {
    let time = new Date(start);
    const store = new SqlHandoffStore(context.stores.sql, { now: () => time });
    return {
      store,
      at(iso: string) {
        time = new Date(iso);
      },
    };
  };

  describe('request', () => {
    it('queues a pending request with its department, language and conversation reference', async () => {
      const conversationId = uniqueId('conversation');
      const request = await context.stores.handoffs.request(input(conversationId));
      expect(request).toMatchObject({ ...input(conversationId), status: 'pending' });
      expect(request.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number.isNaN(Date.parse(request.createdAt))).toBe(false);
      expect(request.updatedAt).toBe(request.createdAt);
      expect(request).not.toHaveProperty('agent');
      expect(request).not.toHaveProperty('closedAt');
      expect(await context.stores.handoffs.openFor(conversationId)).toEqual(request);
      expect(await context.stores.handoffs.get(request.id)).toEqual(request);
    });

    it('keeps a request without service and conversation reference without those keys', async () => {
      const conversationId = uniqueId('conversation');
      const request = await context.stores.handoffs.request({
        conversationId,
        channel: 'telegram',
        reason: 'repeated-failure',
        department: 'allgemein',
        language: 'de',
      });
      expect(await context.stores.handoffs.get(request.id)).toEqual({
        id: request.id,
        conversationId,
        channel: 'telegram',
        reason: 'repeated-failure',
        department: 'allgemein',
        language: 'de',
        status: 'pending',
        createdAt: request.createdAt,
        updatedAt: request.createdAt,
      });
    });

    it('returns the open request instead of queueing a second one', async () => {
      const conversationId = uniqueId('conversation');
      const first = await context.stores.handoffs.request(input(conversationId));
      const second = await context.stores.handoffs.request({
        ...input(conversationId, 'elsewhere'),
        reason: 'repeated-failure',
      });
      expect(second).toEqual(first);
    });

    it('queues exactly one request when twenty arrive at once for a conversation', async () => {
      const conversationId = uniqueId('conversation');
      const requests = await Promise.all(
        Array.from({ length: 20 }, () => context.stores.handoffs.request(input(conversationId))),
      );
      expect(new Set(requests.map((r) => r.id)).size).toBe(1);
      const rows = await context.stores.sql.query<{ n: number | string }>(
        'SELECT count(*) AS n FROM handoff_requests WHERE conversation_id = $1',
        [conversationId],
      );
      expect(Number(rows[0]?.n)).toBe(1);
    });

    it('queues a new request once the previous one was closed', async () => {
      const conversationId = uniqueId('conversation');
      const first = await context.stores.handoffs.request(input(conversationId));
      await context.stores.handoffs.update(first.id, ['pending'], { status: 'rejected' });
      expect(await context.stores.handoffs.openFor(conversationId)).toBeUndefined();
      const second = await context.stores.handoffs.request(input(conversationId));
      expect(second.id).not.toBe(first.id);
      expect(second.status).toBe('pending');
    });

    it('lets the database refuse a second open request for a conversation', async () => {
      const conversationId = uniqueId('conversation');
      await context.stores.handoffs.request(input(conversationId));
      await expect(
        context.stores.sql.run(
          `INSERT INTO handoff_requests (id, conversation_id, channel, reason, department, language,
             status, created_at, updated_at)
           VALUES ($1, $2, 'webchat', 'user-request', 'x', 'de', 'assigned', $3, $3)`,
          [uniqueId('request'), conversationId, new Date().toISOString()],
        ),
      ).rejects.toThrow();
    });

    it('keeps the requests of different conversations apart', async () => {
      const one = await context.stores.handoffs.request(input(uniqueId('conversation')));
      const two = await context.stores.handoffs.request(input(uniqueId('conversation')));
      expect(one.id).not.toBe(two.id);
    });

    it('has no open request for a conversation that never asked, and no unknown id', async () => {
      expect(await context.stores.handoffs.openFor(uniqueId('conversation'))).toBeUndefined();
      expect(await context.stores.handoffs.get(uniqueId('request'))).toBeUndefined();
    });

    it.each([
      ['an unknown reason', { reason: 'bored' }],
      ['an unknown language', { language: 'fr' }],
      ['an empty department', { department: '' }],
      ['an over-long department', { department: 'x'.repeat(201) }],
      ['a conversation reference that is not an object', { conversation: 'webchat' }],
    ])('refuses %s', async (_, override) => {
      await expect(
        context.stores.handoffs.request({
          ...input(uniqueId('conversation')),
          ...(override as Partial<NewHandoffRequest>),
        }),
      ).rejects.toMatchObject({ code: 'LOTSE_STORAGE_INVALID_INPUT' });
    });
  });

  describe('update', () => {
    it('assigns a pending request to an agent, stamping assignedAt', async () => {
      const clock = clocked('2030-01-01T10:00:00.000Z');
      const request = await clock.store.request(input(uniqueId('conversation')));
      clock.at('2030-01-01T10:05:00.000Z');
      const assigned = await clock.store.update(request.id, ['pending'], {
        status: 'assigned',
        agent: 'anna',
      });
      expect(assigned).toEqual({
        ...request,
        status: 'assigned',
        agent: 'anna',
        updatedAt: '2030-01-01T10:05:00.000Z',
        assignedAt: '2030-01-01T10:05:00.000Z',
      });
      expect(await clock.store.get(request.id)).toEqual(assigned);
    });

    it('closes an assigned request, stamping closedAt and keeping the agent and reason', async () => {
      const clock = clocked('2030-01-02T10:00:00.000Z');
      const request = await clock.store.request(input(uniqueId('conversation')));
      await clock.store.update(request.id, ['pending'], { status: 'assigned', agent: 'ben' });
      clock.at('2030-01-02T10:30:00.000Z');
      const closed = await clock.store.update(request.id, ['pending', 'assigned'], {
        status: 'expired',
        closeReason: 'idle',
      });
      expect(closed).toMatchObject({
        status: 'expired',
        agent: 'ben',
        closeReason: 'idle',
        assignedAt: '2030-01-02T10:00:00.000Z',
        closedAt: '2030-01-02T10:30:00.000Z',
        updatedAt: '2030-01-02T10:30:00.000Z',
      });
    });

    it('clears the agent when told null, and leaves it alone when not told', async () => {
      const request = await context.stores.handoffs.request(input(uniqueId('conversation')));
      await context.stores.handoffs.update(request.id, ['pending'], {
        status: 'assigned',
        agent: 'carla',
      });
      const back = await context.stores.handoffs.update(request.id, ['assigned'], {
        status: 'pending',
        agent: null,
      });
      expect(back?.status).toBe('pending');
      expect(back).not.toHaveProperty('agent');
      await context.stores.handoffs.update(request.id, ['pending'], {
        status: 'assigned',
        agent: 'dora',
      });
      const resolved = await context.stores.handoffs.update(request.id, ['assigned'], {
        status: 'resolved',
      });
      expect(resolved?.agent).toBe('dora');
    });

    it('changes nothing when the request is no longer in the expected status', async () => {
      const request = await context.stores.handoffs.request(input(uniqueId('conversation')));
      expect(
        await context.stores.handoffs.update(request.id, ['assigned'], { status: 'resolved' }),
      ).toBeUndefined();
      expect(await context.stores.handoffs.get(request.id)).toEqual(request);
    });

    it('returns undefined for an unknown request', async () => {
      expect(
        await context.stores.handoffs.update(uniqueId('request'), ['pending'], {
          status: 'assigned',
          agent: 'anna',
        }),
      ).toBeUndefined();
    });

    it('lets exactly one of ten agents take a request they all grab at once', async () => {
      const request = await context.stores.handoffs.request(input(uniqueId('conversation')));
      const agents = Array.from({ length: 10 }, (_, i) => `agent-${i}`);
      const results = await Promise.all(
        agents.map((agent) =>
          context.stores.handoffs.update(request.id, ['pending'], { status: 'assigned', agent }),
        ),
      );
      const winners = results.filter((result) => result !== undefined);
      expect(winners).toHaveLength(1);
      expect((await context.stores.handoffs.get(request.id))?.agent).toBe(winners[0]?.agent);
    });

    it('refuses unknown statuses and an empty list of expected statuses', async () => {
      const request = await context.stores.handoffs.request(input(uniqueId('conversation')));
      const handoffs = context.stores.handoffs;
      for (const attempt of [
        () => handoffs.update(request.id, [], { status: 'assigned' }),
        () => handoffs.update(request.id, ['waiting' as 'pending'], { status: 'assigned' }),
        () => handoffs.update(request.id, ['pending'], { status: 'done' as 'resolved' }),
        () => handoffs.update(request.id, ['pending'], { status: 'assigned', agent: '' }),
      ]) {
        await expect(attempt()).rejects.toMatchObject({ code: 'LOTSE_STORAGE_INVALID_INPUT' });
      }
      expect(await handoffs.get(request.id)).toEqual(request);
    });
  });

  describe('list and queue positions', () => {
    it('lists requests by status, department and agent, oldest first, up to a limit', async () => {
      const department = uniqueId('department');
      const clock = clocked('2030-02-01T09:00:00.000Z');
      const first = await clock.store.request(input(uniqueId('conversation'), department));
      clock.at('2030-02-01T09:01:00.000Z');
      const second = await clock.store.request(input(uniqueId('conversation'), department));
      clock.at('2030-02-01T09:02:00.000Z');
      const third = await clock.store.request(input(uniqueId('conversation'), department));
      await clock.store.update(second.id, ['pending'], { status: 'assigned', agent: 'emil' });
      const list = (filter: Omit<Parameters<SqlHandoffStore['list']>[0], 'department'>) =>
        clock.store.list({ ...filter, department }).then((r) => r.map((x) => x.id));

      expect(await list({ statuses: ['pending'] })).toEqual([first.id, third.id]);
      expect(await list({ statuses: ['pending', 'assigned'] })).toEqual([
        first.id,
        second.id,
        third.id,
      ]);
      expect(await list({ statuses: ['assigned'], agent: 'emil' })).toEqual([second.id]);
      expect(await list({ statuses: ['assigned'], agent: 'someone-else' })).toEqual([]);
      expect(await list({ statuses: ['pending'], limit: 1 })).toEqual([first.id]);
      expect(await list({ statuses: ['resolved'] })).toEqual([]);
    });

    it('refuses an empty status list and a limit out of range', async () => {
      await expect(context.stores.handoffs.list({ statuses: [] })).rejects.toMatchObject({
        code: 'LOTSE_STORAGE_INVALID_INPUT',
      });
      await expect(
        context.stores.handoffs.list({ statuses: ['pending'], limit: 0 }),
      ).rejects.toMatchObject({ code: 'LOTSE_STORAGE_INVALID_INPUT' });
    });

    it('numbers each department’s queue on its own and moves up when one ahead is taken', async () => {
      const mitte = uniqueId('mitte');
      const nord = uniqueId('nord');
      const clock = clocked('2030-03-01T08:00:00.000Z');
      const a1 = await clock.store.request(input(uniqueId('conversation'), mitte));
      const n1 = await clock.store.request(input(uniqueId('conversation'), nord));
      clock.at('2030-03-01T08:01:00.000Z');
      const a2 = await clock.store.request(input(uniqueId('conversation'), mitte));
      clock.at('2030-03-01T08:02:00.000Z');
      const a3 = await clock.store.request(input(uniqueId('conversation'), mitte));
      const positions = () =>
        Promise.all([a1, a2, a3, n1].map((r) => clock.store.queuePosition(r.id)));

      expect(await positions()).toEqual([1, 2, 3, 1]);
      await clock.store.update(a1.id, ['pending'], { status: 'assigned', agent: 'anna' });
      expect(await positions()).toEqual([undefined, 1, 2, 1]);
      await clock.store.update(a2.id, ['pending'], { status: 'expired' });
      expect(await positions()).toEqual([undefined, undefined, 1, 1]);
    });

    it('orders requests queued at the same moment by id, as the list shows them', async () => {
      const department = uniqueId('department');
      const clock = clocked('2030-03-02T08:00:00.000Z');
      const requests = await Promise.all(
        Array.from({ length: 3 }, () =>
          clock.store.request(input(uniqueId('conversation'), department)),
        ),
      );
      const listed = await clock.store.list({ statuses: ['pending'], department });
      const positions = await Promise.all(listed.map((r) => clock.store.queuePosition(r.id)));
      expect(positions).toEqual([1, 2, 3]);
      expect(new Set(listed.map((r) => r.id))).toEqual(new Set(requests.map((r) => r.id)));
    });

    it('has no queue position for an unknown request', async () => {
      expect(await context.stores.handoffs.queuePosition(uniqueId('request'))).toBeUndefined();
    });
  });

  describe('contact, activity and staleness', () => {
    it('keeps a call-back contact on an open request only', async () => {
      const open = await context.stores.handoffs.request(input(uniqueId('conversation')));
      expect(await context.stores.handoffs.setContact(open.id, '+49 40 115')).toBe(true);
      expect((await context.stores.handoffs.get(open.id))?.contact).toBe('+49 40 115');

      const closed = await context.stores.handoffs.request(input(uniqueId('conversation')));
      await context.stores.handoffs.update(closed.id, ['pending'], { status: 'rejected' });
      expect(await context.stores.handoffs.setContact(closed.id, 'a@example.org')).toBe(false);
      expect(await context.stores.handoffs.get(closed.id)).not.toHaveProperty('contact');
      expect(await context.stores.handoffs.setContact(uniqueId('request'), 'x@y.de')).toBe(false);
      await expect(context.stores.handoffs.setContact(open.id, '')).rejects.toMatchObject({
        code: 'LOTSE_STORAGE_INVALID_INPUT',
      });
    });

    it('touches open requests only', async () => {
      const clock = clocked('2030-04-01T10:00:00.000Z');
      const open = await clock.store.request(input(uniqueId('conversation')));
      const closed = await clock.store.request(input(uniqueId('conversation')));
      await clock.store.update(closed.id, ['pending'], { status: 'rejected' });
      clock.at('2030-04-01T10:10:00.000Z');
      await clock.store.touch(open.id);
      await clock.store.touch(closed.id);
      expect((await clock.store.get(open.id))?.updatedAt).toBe('2030-04-01T10:10:00.000Z');
      expect((await clock.store.get(closed.id))?.updatedAt).toBe('2030-04-01T10:00:00.000Z');
    });

    it('finds pending requests waiting too long and assigned ones idle too long', async () => {
      const clock = clocked('2031-01-01T09:59:00.000Z');
      const waitingLong = await clock.store.request(input(uniqueId('conversation')));
      clock.at('2031-01-01T10:00:00.000Z');
      const idle = await clock.store.request(input(uniqueId('conversation')));
      await clock.store.update(idle.id, ['pending'], { status: 'assigned', agent: 'anna' });
      const active = await clock.store.request(input(uniqueId('conversation')));
      await clock.store.update(active.id, ['pending'], { status: 'assigned', agent: 'ben' });
      const closed = await clock.store.request(input(uniqueId('conversation')));
      await clock.store.update(closed.id, ['pending'], { status: 'rejected' });
      clock.at('2031-01-01T10:20:00.000Z');
      const waitingShort = await clock.store.request(input(uniqueId('conversation')));
      await clock.store.touch(active.id);
      const mine = new Set([waitingLong, idle, active, closed, waitingShort].map((r) => r.id));

      const stale = await clock.store.stale({
        pendingCreatedBefore: '2031-01-01T10:15:00.000Z',
        assignedUpdatedBefore: '2031-01-01T10:15:00.000Z',
      });
      expect(stale.filter((r) => mine.has(r.id)).map((r) => r.id)).toEqual([
        waitingLong.id,
        idle.id,
      ]);
    });
  });
});
