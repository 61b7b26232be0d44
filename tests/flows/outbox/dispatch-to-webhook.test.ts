import { afterEach, describe, expect, it } from 'vitest';
import { SignedWebhookConnector } from '../../../flows/connectors/signed-webhook.js';
import { Dispatcher } from '../../../flows/outbox/dispatcher.js';
import { SqlOutboxStore } from '../../../flows/outbox/outbox-store.js';
import { backends } from '../../storage/backends.js';
import type { RunningServer } from '../connectors/receivers.js';
import { closedUrl, send, startWebhookReceiver } from '../connectors/receivers.js';
import { fakeClock, submission, useFreshStores } from './helpers.js';

const secret = 'a-long-shared-secret-0123456789';
const backoff = { baseMs: 1000, factor: 2, maxMs: 60_000, maxAttempts: 4 };

describe.each(backends)('the dispatcher with a real webhook receiver on $name', (backend) => {
  const context = useFreshStores(backend);
  const servers: RunningServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  function dispatcher(url: string) {
    const clock = fakeClock(new Date());
    const outbox = new SqlOutboxStore(context.stores.sql, { now: clock.now });
    const webhook = new SignedWebhookConnector({ url, secret });
    const d = new Dispatcher({ outbox, connectors: { webhook }, clock, backoff, batchSize: 5 });
    return { clock, outbox, dispatcher: d };
  }

  it('retries a 503 with the same idempotency key and then delivers', async () => {
    const receiver = await startWebhookReceiver({
      secret,
      respond: (d) =>
        receiver.deliveries.length === 1
          ? send(d.response, 503, 'busy', { 'Retry-After': '5' })
          : send(d.response, 201, { reference: 'CASE-9' }),
    });
    servers.push(receiver);
    const { clock, outbox, dispatcher: d } = dispatcher(receiver.url);
    const record = await outbox.enqueue(submission({ connector: 'webhook' }));
    await d.runOnce();
    expect(await outbox.get(record.id)).toMatchObject({
      status: 'pending',
      lastError: expect.stringContaining('answered 503: busy'),
    });
    clock.advance(5000);
    await d.runOnce();
    expect(await outbox.get(record.id)).toMatchObject({
      status: 'delivered',
      backendReference: 'CASE-9',
      attempts: 2,
    });
    expect(receiver.deliveries.map((x) => [x.key, x.body.attempt])).toEqual([
      [record.idempotencyKey, 1],
      [record.idempotencyKey, 2],
    ]);
  });

  it('keeps retrying a receiver that is down and dead-letters after the last attempt', async () => {
    const { clock, outbox, dispatcher: d } = dispatcher(await closedUrl());
    const record = await outbox.enqueue(submission({ connector: 'webhook' }));
    for (let attempt = 1; attempt <= backoff.maxAttempts; attempt += 1) {
      expect(await d.runOnce()).toBe(1);
      clock.advance(backoff.maxMs);
    }
    expect(await outbox.get(record.id)).toMatchObject({
      status: 'dead',
      attempts: 4,
      lastError: expect.stringMatching(/^gave up after 4 attempts: .*ECONNREFUSED/),
    });
  });
});
