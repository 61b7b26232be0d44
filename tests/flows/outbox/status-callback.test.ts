import { describe, expect, it } from 'vitest';
import { signWebhook } from '../../../flows/connectors/webhook-signature.js';
import { SqlOutboxStore } from '../../../flows/outbox/outbox-store.js';
import { StatusCallbackHandler } from '../../../flows/outbox/status-callback.js';
import type { OutboxStatusEvent } from '../../../flows/outbox/types.js';
import { backends } from '../../storage/backends.js';
import { fakeClock, submission, useFreshStores } from './helpers.js';

const secret = 'the-backends-callback-secret';

describe.each(backends)('backend status callbacks on $name', (backend) => {
  const context = useFreshStores(backend);

  function setup() {
    const clock = fakeClock();
    const outbox = new SqlOutboxStore(context.stores.sql, { now: clock.now });
    const events: OutboxStatusEvent[] = [];
    const handler = new StatusCallbackHandler({
      outbox,
      secrets: secret,
      clock,
      onStatus: (event) => void events.push(event),
    });
    const post = (body: unknown, signedAt = clock.now(), key = secret) => {
      const raw = JSON.stringify(body);
      const signed = signWebhook(key, raw, signedAt);
      return handler.handle(raw, {
        'x-lotse-timestamp': signed['X-Lotse-Timestamp'],
        'x-lotse-signature': signed['X-Lotse-Signature'],
      });
    };
    return { clock, outbox, events, post };
  }

  it('marks a delivered submission rejected and tells the user’s conversation', async () => {
    const { outbox, events, post } = setup();
    const record = await outbox.enqueue(submission());
    await outbox.markDelivered(record.id, 'SR-1');
    const result = await post({
      receipt: record.receipt,
      status: 'rejected',
      message: 'Der Ort liegt nicht im Stadtgebiet.',
    });
    expect(result).toMatchObject({ ok: true, httpStatus: 200 });
    expect(await outbox.get(record.id)).toMatchObject({
      status: 'rejected',
      lastError: 'Der Ort liegt nicht im Stadtgebiet.',
    });
    expect(events).toMatchObject([
      {
        type: 'rejected',
        reason: 'Der Ort liegt nicht im Stadtgebiet.',
        record: { receipt: record.receipt, status: 'rejected', conversation: record.conversation },
      },
    ]);
  });

  it('passes progress on to the user without changing the stored status', async () => {
    const { outbox, events, post } = setup();
    const record = await outbox.enqueue(submission({ idempotencyKey: 'idem-cb' }));
    await outbox.markDelivered(record.id);
    const result = await post({
      idempotencyKey: 'idem-cb',
      status: 'completed',
      message: 'Behoben.',
    });
    expect(result.ok).toBe(true);
    expect((await outbox.get(record.id))?.status).toBe('delivered');
    expect(events).toMatchObject([
      { type: 'backend-status', status: 'completed', message: 'Behoben.' },
    ]);
  });

  it('acknowledges a repeated rejection without telling the user twice', async () => {
    const { outbox, events, post } = setup();
    const record = await outbox.enqueue(submission());
    await outbox.markDelivered(record.id);
    const body = { receipt: record.receipt, status: 'rejected' };
    expect((await post(body)).ok).toBe(true);
    expect((await post(body)).ok).toBe(true);
    expect(events).toHaveLength(1);
  });

  it('refuses unsigned, wrongly signed and stale callbacks with 401', async () => {
    const { clock, outbox, events, post } = setup();
    const record = await outbox.enqueue(submission());
    const body = { receipt: record.receipt, status: 'rejected' };
    expect(await post(body, clock.now(), 'another-secret')).toMatchObject({
      httpStatus: 401,
      code: 'LOTSE_CALLBACK_UNAUTHENTIC',
      message: 'signature check failed: mismatch',
    });
    expect(await post(body, new Date(clock.now().getTime() - 600_000))).toMatchObject({
      httpStatus: 401,
      message: 'signature check failed: stale',
    });
    expect((await outbox.get(record.id))?.status).toBe('pending');
    expect(events).toEqual([]);
  });

  it('answers 400 for a malformed body, 404 for an unknown receipt, 409 for a dead one', async () => {
    const { outbox, post } = setup();
    expect(await post({ status: 'rejected' })).toMatchObject({
      httpStatus: 400,
      message: 'invalid status callback: receipt or idempotencyKey is required',
    });
    expect(await post({ receipt: 'LT-2026-0000-0000', status: 'weird' })).toMatchObject({
      httpStatus: 400,
    });
    expect(await post({ receipt: 'LT-2026-0000-0000', status: 'completed' })).toMatchObject({
      httpStatus: 404,
      code: 'LOTSE_CALLBACK_UNKNOWN_SUBMISSION',
    });
    const dead = await outbox.enqueue(submission());
    await outbox.markDead(dead.id, 'gave up');
    expect(await post({ receipt: dead.receipt, status: 'rejected' })).toMatchObject({
      httpStatus: 409,
      code: 'LOTSE_CALLBACK_CONFLICT',
    });
  });

  it('does not let a receipt and a foreign idempotency key address a submission', async () => {
    const { outbox, post } = setup();
    const record = await outbox.enqueue(submission({ idempotencyKey: 'mine' }));
    expect(
      await post({ receipt: record.receipt, idempotencyKey: 'someone-elses', status: 'rejected' }),
    ).toMatchObject({ httpStatus: 404 });
  });
});
