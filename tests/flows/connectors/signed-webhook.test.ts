import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../flows/connectors/connector.js';
import { SignedWebhookConnector } from '../../../flows/connectors/signed-webhook.js';
import type { OutboxSubmission } from '../../../flows/outbox/types.js';
import type { RunningServer, WebhookDelivery } from './receivers.js';
import { closedUrl, send, startServer, startWebhookReceiver } from './receivers.js';

const secret = 'a-long-shared-secret-0123456789';

const submission: OutboxSubmission = {
  id: 'c5b0e1f8-0000-4000-8000-000000000001',
  receipt: 'LT-2026-7K3F-9Q2M',
  flow: 'maengelmelder',
  serviceId: '10115',
  idempotencyKey: 'idem-0001',
  payload: { description: 'Laterne defekt', address: 'Marienplatz 1' },
  createdAt: '2026-03-02T09:00:00.000Z',
  attempts: 1,
};

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function receiver(respond?: (delivery: WebhookDelivery) => void, now?: () => Date) {
  const server = await startWebhookReceiver({
    secret,
    ...(respond ? { respond } : {}),
    ...(now ? { now } : {}),
  });
  servers.push(server);
  return server;
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('the signed webhook connector', () => {
  it('posts the submission as signed JSON that the receiver verifies, and keeps its reference', async () => {
    const server = await receiver();
    const connector = new SignedWebhookConnector({ url: `${server.url}/intake`, secret });
    expect(await connector.deliver(submission)).toEqual({ reference: 'W-idem-0001' });
    const [delivery] = server.deliveries;
    expect(delivery?.raw).toMatchObject({ method: 'POST', path: '/intake' });
    expect(delivery?.raw.headers).toMatchObject({
      'content-type': 'application/json',
      'idempotency-key': 'idem-0001',
      'x-lotse-timestamp': expect.stringMatching(/^\d{10}$/),
      'x-lotse-signature': expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
    });
    expect(delivery?.body).toEqual({
      receipt: submission.receipt,
      idempotencyKey: 'idem-0001',
      flow: 'maengelmelder',
      serviceId: '10115',
      submittedAt: submission.createdAt,
      attempt: 1,
      payload: submission.payload,
    });
    expect(server.refusals).toEqual([]);
  });

  it('is refused by the receiver when signed with another secret', async () => {
    const server = await receiver();
    const connector = new SignedWebhookConnector({ url: server.url, secret: `${secret}-other` });
    const error = await failure(connector.deliver(submission));
    expect(error).toMatchObject({ kind: 'permanent', status: 401 });
    expect(server.refusals).toEqual(['mismatch']);
  });

  it('cannot be replayed by someone who captured a request, once the tolerance has passed', async () => {
    let receiverNow = new Date();
    const server = await receiver(undefined, () => receiverNow);
    const connector = new SignedWebhookConnector({ url: server.url, secret });
    await connector.deliver(submission);
    const captured = server.deliveries[0]!.raw;
    const replay = () =>
      fetch(server.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Idempotency-Key': String(captured.headers['idempotency-key']),
          'X-Lotse-Timestamp': String(captured.headers['x-lotse-timestamp']),
          'X-Lotse-Signature': String(captured.headers['x-lotse-signature']),
        },
        body: captured.body,
      });
    receiverNow = new Date(receiverNow.getTime() + 301_000);
    expect((await replay()).status).toBe(401);
    expect(server.refusals).toEqual(['stale']);
    expect(server.deliveries).toHaveLength(1);
  });

  it('is refused when its clock is far off the receiver’s', async () => {
    const server = await receiver();
    const slow = () => new Date(Date.now() - 10 * 60_000);
    const connector = new SignedWebhookConnector({ url: server.url, secret, now: slow });
    await failure(connector.deliver(submission));
    expect(server.refusals).toEqual(['stale']);
  });

  it('treats 503 as transient and honours Retry-After', async () => {
    const server = await receiver((d) =>
      send(d.response, 503, 'maintenance', { 'Retry-After': '120' }),
    );
    const connector = new SignedWebhookConnector({ url: server.url, secret });
    const error = await failure(connector.deliver(submission));
    expect(error).toMatchObject({ kind: 'transient', status: 503, retryAfterMs: 120_000 });
    expect(error.message).toContain('answered 503: maintenance');
  });

  it('treats 408, 429 and 500 as transient', async () => {
    for (const status of [408, 429, 500]) {
      const server = await receiver((d) => send(d.response, status, {}));
      const connector = new SignedWebhookConnector({ url: server.url, secret });
      expect(await failure(connector.deliver(submission))).toMatchObject({
        kind: 'transient',
        status,
      });
    }
  });

  it('treats 422 as a refusal of the data, with the receiver’s explanation', async () => {
    const server = await receiver((d) => send(d.response, 422, { error: 'postcode missing' }));
    const connector = new SignedWebhookConnector({ url: server.url, secret });
    const error = await failure(connector.deliver(submission));
    expect(error.kind).toBe('permanent');
    expect(error.message).toMatch(/answered 422: \{"error":"postcode missing"\}/);
  });

  it('does not follow a redirect, which would turn the POST into a GET', async () => {
    const server = await startServer((_, res) => {
      res.writeHead(302, { Location: '/elsewhere' });
      res.end();
    });
    servers.push(server);
    const connector = new SignedWebhookConnector({ url: server.url, secret });
    const error = await failure(connector.deliver(submission));
    expect(error).toMatchObject({ kind: 'permanent', status: 302 });
    expect(error.message).toContain('redirect to /elsewhere');
  });

  it('treats a refused connection as transient', async () => {
    const connector = new SignedWebhookConnector({ url: await closedUrl(), secret });
    const error = await failure(connector.deliver(submission));
    expect(error.kind).toBe('transient');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('gives up waiting after the timeout, as a transient failure', async () => {
    const server = await receiver(() => undefined);
    const connector = new SignedWebhookConnector({ url: server.url, secret, timeoutMs: 100 });
    const error = await failure(connector.deliver(submission));
    expect(error).toMatchObject({ kind: 'transient' });
    expect(error.message).toContain('no answer within 100 ms');
  });

  it('accepts any 2xx, with or without a reference in the answer', async () => {
    const server = await receiver((d) => send(d.response, 202, d.key === 'a' ? { id: 17 } : 'ok'));
    const connector = new SignedWebhookConnector({ url: server.url, secret });
    expect(await connector.deliver({ ...submission, idempotencyKey: 'a' })).toEqual({
      reference: '17',
    });
    expect(await connector.deliver({ ...submission, idempotencyKey: 'b' })).toEqual({});
  });

  it('refuses a configuration without http(s) URL or with a short secret', () => {
    expect(() => new SignedWebhookConnector({ url: 'ftp://x', secret })).toThrow(/http\(s\) URL/);
    expect(() => new SignedWebhookConnector({ url: 'http://x', secret: 'short' })).toThrow(/16/);
  });
});
