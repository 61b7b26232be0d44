import { describe, expect, it } from 'vitest';
import { backends, uniqueId, useStores } from './backends.js';

describe.each(backends)('handoff requests on $name', (backend) => {
  const context = useStores(backend);

  const input = (conversationId: string) => ({
    conversationId,
    channel: 'webchat',
    reason: 'user-request' as const,
    serviceId: '10115',
  });

  it('queues a pending request with an id and a creation time', async () => {
    const conversationId = uniqueId('conversation');
    const request = await context.stores.handoffs.request(input(conversationId));
    expect(request).toMatchObject({ ...input(conversationId), status: 'pending' });
    expect(request.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(request.createdAt))).toBe(false);
    expect(await context.stores.handoffs.openFor(conversationId)).toEqual(request);
  });

  it('returns the open request instead of queueing a second one', async () => {
    const conversationId = uniqueId('conversation');
    const first = await context.stores.handoffs.request(input(conversationId));
    const second = await context.stores.handoffs.request({
      ...input(conversationId),
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

  it('queues a new request once the previous one was resolved', async () => {
    const conversationId = uniqueId('conversation');
    const first = await context.stores.handoffs.request(input(conversationId));
    await context.stores.sql.run(`UPDATE handoff_requests SET status = 'resolved' WHERE id = $1`, [
      first.id,
    ]);
    expect(await context.stores.handoffs.openFor(conversationId)).toBeUndefined();
    const second = await context.stores.handoffs.request(input(conversationId));
    expect(second.id).not.toBe(first.id);
  });

  it('keeps the requests of different conversations apart', async () => {
    const one = await context.stores.handoffs.request(input(uniqueId('conversation')));
    const two = await context.stores.handoffs.request(input(uniqueId('conversation')));
    expect(one.id).not.toBe(two.id);
  });

  it('has no open request for a conversation that never asked', async () => {
    expect(await context.stores.handoffs.openFor(uniqueId('conversation'))).toBeUndefined();
  });

  it('refuses an unknown reason', async () => {
    await expect(
      context.stores.handoffs.request({
        ...input(uniqueId('conversation')),
        reason: 'bored' as 'user-request',
      }),
    ).rejects.toMatchObject({ code: 'LOTSE_STORAGE_INVALID_INPUT' });
  });
});
