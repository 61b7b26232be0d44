import { describe, expect, it } from 'vitest';
import { SqlOutboxStore } from '../../../flows/outbox/outbox-store.js';
import { normaliseReceipt } from '../../../flows/outbox/receipt.js';
import { backends, uniqueId } from '../../storage/backends.js';
import { fakeClock, submission, useFreshStores } from './helpers.js';

describe.each(backends)('the outbox on $name', (backend) => {
  const context = useFreshStores(backend);
  const clock = fakeClock();
  const outbox = () => new SqlOutboxStore(context.stores.sql, { now: clock.now });
  const lease = 60_000;

  it('stores a submission as pending, due at once, with a valid receipt', async () => {
    const record = await outbox().enqueue(submission({ idempotencyKey: 'key-1' }));
    expect(record).toMatchObject({
      flow: 'maengelmelder',
      serviceId: '10115',
      connector: 'scripted',
      idempotencyKey: 'key-1',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: clock.now().toISOString(),
      payload: submission().payload,
    });
    expect(normaliseReceipt(record.receipt)).toBe(record.receipt);
    expect(await outbox().get(record.id)).toEqual(record);
  });

  it('finds a submission by its receipt as a person types it', async () => {
    const record = await outbox().enqueue(submission());
    const typed = record.receipt.toLowerCase().replace(/-/g, ' ');
    expect((await outbox().get(typed))?.id).toBe(record.id);
    expect(await outbox().get('LT-2026-0000-0000')).toBeUndefined();
  });

  it('finds a submission by the idempotency key the backends know it by', async () => {
    const record = await outbox().enqueue(submission({ idempotencyKey: 'idem-lookup' }));
    expect(await outbox().getByIdempotencyKey('idem-lookup')).toEqual(record);
    expect(await outbox().getByIdempotencyKey(record.id)).toBeUndefined();
  });

  it('commits the submission together with the conversation state in one transaction', async () => {
    const key = uniqueId('state');
    const record = await context.stores.sql.transaction(async (tx) => {
      await context.stores.state.withClient(tx).write({ [key]: { flow: 'submitted' } });
      return outbox().enqueue(submission(), tx);
    });
    expect(await context.stores.state.read([key])).toHaveProperty([key, 'flow'], 'submitted');
    expect((await outbox().get(record.id))?.status).toBe('pending');
  });

  it('rolls the submission back with the state when the transaction fails', async () => {
    const key = uniqueId('state');
    let receipt = '';
    await expect(
      context.stores.sql.transaction(async (tx) => {
        await context.stores.state.withClient(tx).write({ [key]: { flow: 'submitted' } });
        receipt = (await outbox().enqueue(submission(), tx)).receipt;
        throw new Error('the turn failed after the enqueue');
      }),
    ).rejects.toThrow('the turn failed');
    expect(receipt).not.toBe('');
    expect(await context.stores.state.read([key])).toEqual({});
    expect(await outbox().get(receipt)).toBeUndefined();
    expect(await outbox().list()).toEqual([]);
  });

  it('returns the stored submission for a repeated idempotency key, inside a transaction too', async () => {
    const first = await outbox().enqueue(submission({ idempotencyKey: 'double-click' }));
    const again = await context.stores.sql.transaction((tx) =>
      outbox().enqueue(submission({ idempotencyKey: 'double-click', payload: { other: 1 } }), tx),
    );
    expect(again).toEqual(first);
    expect(await outbox().list()).toHaveLength(1);
  });

  it('draws a new receipt when the first one is taken', async () => {
    const taken = (await outbox().enqueue(submission())).receipt;
    const draws = [taken, taken, 'LT-2026-FRSH-0001'];
    const store = new SqlOutboxStore(context.stores.sql, { createReceipt: () => draws.shift()! });
    expect((await store.enqueue(submission())).receipt).toBe('LT-2026-FRSH-0001');
  });

  it('refuses a submission without flow or with a payload that is not an object', async () => {
    await expect(outbox().enqueue(submission({ flow: ' ' }))).rejects.toMatchObject({
      code: 'LOTSE_OUTBOX_INVALID_SUBMISSION',
      message: expect.stringContaining('"flow"'),
    });
    await expect(
      outbox().enqueue(submission({ payload: [1, 2] as unknown as Record<string, unknown> })),
    ).rejects.toMatchObject({ code: 'LOTSE_OUTBOX_INVALID_SUBMISSION' });
  });

  it('claims due submissions under a lease and counts the attempt', async () => {
    const record = await outbox().enqueue(submission());
    const [claimed] = await outbox().claimDue(clock.now(), 10, lease);
    expect(claimed).toMatchObject({
      id: record.id,
      attempts: 1,
      lockedUntil: new Date(clock.now().getTime() + lease).toISOString(),
    });
    expect(await outbox().claimDue(clock.now(), 10, lease)).toEqual([]);
  });

  it('gives a claimed submission to the next claimer once the lease has run out', async () => {
    const record = await outbox().enqueue(submission());
    await outbox().claimDue(clock.now(), 10, lease);
    const justBefore = new Date(clock.now().getTime() + lease - 1);
    expect(await outbox().claimDue(justBefore, 10, lease)).toEqual([]);
    const atExpiry = new Date(clock.now().getTime() + lease);
    const [again] = await outbox().claimDue(atExpiry, 10, lease);
    expect(again).toMatchObject({ id: record.id, attempts: 2 });
  });

  it('claims at most the limit, those due longest first, and none that are not due', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      ids.push((await outbox().enqueue(submission())).id);
      clock.advance(1000);
    }
    await outbox().markRetry(ids[0]!, 'later', new Date(clock.now().getTime() + 60_000));
    const claimed = await outbox().claimDue(clock.now(), 2, lease);
    expect(claimed.map((r) => r.id)).toEqual([ids[1], ids[2]]);
    expect((await outbox().claimDue(clock.now(), 10, lease)).map((r) => r.id)).toEqual([ids[3]]);
  });

  it('records a delivery with the reference and releases the lease', async () => {
    const record = await outbox().enqueue(submission());
    await outbox().claimDue(clock.now(), 1, lease);
    clock.advance(500);
    expect(await outbox().markDelivered(record.id, 'SR-77')).toBe(true);
    const stored = await outbox().get(record.id);
    expect(stored).toMatchObject({
      status: 'delivered',
      backendReference: 'SR-77',
      deliveredAt: clock.now().toISOString(),
    });
    expect(stored?.lockedUntil).toBeUndefined();
    expect(await outbox().markDelivered(record.id, 'SR-78')).toBe(false);
    expect(await outbox().claimDue(new Date(clock.now().getTime() + 2 * lease), 10, lease)).toEqual(
      [],
    );
  });

  it('schedules a retry that is claimable from its time on, keeping the error', async () => {
    const record = await outbox().enqueue(submission());
    await outbox().claimDue(clock.now(), 1, lease);
    const next = new Date(clock.now().getTime() + 5000);
    expect(await outbox().markRetry(record.id, 'HTTP 503\nService Unavailable', next)).toBe(true);
    expect(await outbox().get(record.id)).toMatchObject({
      status: 'pending',
      lastError: 'HTTP 503 Service Unavailable',
      nextAttemptAt: next.toISOString(),
    });
    expect(await outbox().claimDue(new Date(next.getTime() - 1), 10, lease)).toEqual([]);
    expect(await outbox().claimDue(next, 10, lease)).toHaveLength(1);
  });

  it('keeps a dead submission with its reason, unclaimable, and can queue it again', async () => {
    const record = await outbox().enqueue(submission());
    await outbox().claimDue(clock.now(), 1, lease);
    expect(await outbox().markDead(record.id, 'refused: unknown service_code')).toBe(true);
    const later = new Date(clock.now().getTime() + 10 * lease);
    expect(await outbox().claimDue(later, 10, lease)).toEqual([]);
    expect(await outbox().list({ status: 'dead' })).toMatchObject([
      { id: record.id, lastError: 'refused: unknown service_code' },
    ]);
    expect(await outbox().requeue(record.receipt, later)).toBe(true);
    expect(await outbox().requeue(record.receipt, later)).toBe(false);
    expect(await outbox().claimDue(later, 10, lease)).toMatchObject([
      { id: record.id, attempts: 1 },
    ]);
  });

  it('lets the backend reject a delivered or still pending submission, but not a dead one', async () => {
    const delivered = await outbox().enqueue(submission());
    await outbox().markDelivered(delivered.id, 'SR-1');
    const pending = await outbox().enqueue(submission());
    const dead = await outbox().enqueue(submission());
    await outbox().markDead(dead.id, 'gave up');
    expect(await outbox().markRejected(delivered.id, 'Zuständigkeit fehlt')).toBe(true);
    expect(await outbox().markRejected(pending.id, 'doppelt gemeldet')).toBe(true);
    expect(await outbox().markRejected(dead.id, 'zu spät')).toBe(false);
    expect(await outbox().get(delivered.id)).toMatchObject({
      status: 'rejected',
      lastError: 'Zuständigkeit fehlt',
      backendReference: 'SR-1',
    });
    expect(await outbox().claimDue(clock.now(), 10, lease)).toEqual([]);
  });

  it('lists newest first, by status and up to a limit', async () => {
    const first = await outbox().enqueue(submission());
    clock.advance(1000);
    const second = await outbox().enqueue(submission());
    clock.advance(1000);
    const third = await outbox().enqueue(submission());
    await outbox().markDelivered(second.id);
    expect((await outbox().list()).map((r) => r.id)).toEqual([third.id, second.id, first.id]);
    expect((await outbox().list({ status: 'pending' })).map((r) => r.id)).toEqual([
      third.id,
      first.id,
    ]);
    expect(await outbox().list({ limit: 1 })).toHaveLength(1);
  });

  it('keeps every submission across a restart of the process', async () => {
    const before = await context.database.open();
    const record = await before.outbox.enqueue(submission());
    await before.close();
    const reopened = await context.database.open();
    try {
      expect(await reopened.outbox.get(record.receipt)).toEqual(record);
    } finally {
      await reopened.close();
    }
  });
});
