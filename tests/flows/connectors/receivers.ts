/**
 * Real receivers for the connector tests, started in the test process on a free port: a plain
 * HTTP server, and a webhook receiver that checks the Lotse signature the way an office's system
 * would. Not a test file itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../../flows/connectors/signed-webhook.js';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** A request as received: method, path, headers and the raw body text. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Starts an HTTP server on 127.0.0.1 that reads each body before calling `handler`. */
export async function startServer(
  handler: (request: Received, response: ServerResponse) => void,
): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () =>
      handler(
        {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        },
        res,
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on which nothing listens (a port that was just free). */
export async function closedUrl(): Promise<string> {
  const server = await startServer((_, res) => res.end());
  await server.close();
  return server.url;
}

export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

/** A delivery the webhook receiver accepted as authentic. */
export interface WebhookDelivery {
  key: string;
  body: Record<string, unknown>;
  raw: Received;
  response: ServerResponse;
}

/**
 * An office system's webhook endpoint: refuses requests whose signature is wrong or too old
 * (401), then lets `respond` answer (or hold the response, by not answering).
 */
export async function startWebhookReceiver(options: {
  secret: string;
  now?: () => Date;
  respond?: (delivery: WebhookDelivery) => void;
}): Promise<RunningServer & { deliveries: WebhookDelivery[]; refusals: string[] }> {
  const deliveries: WebhookDelivery[] = [];
  const refusals: string[] = [];
  const respond =
    options.respond ?? ((d: WebhookDelivery) => send(d.response, 200, { reference: `W-${d.key}` }));
  const server = await startServer((raw, res) => {
    const now = options.now?.() ?? new Date();
    const check = verifyWebhookSignature(options.secret, raw.body, raw.headers, now);
    if (!check.ok) {
      refusals.push(check.reason);
      send(res, 401, { error: check.reason });
      return;
    }
    const key = String(raw.headers['idempotency-key']);
    const delivery = {
      key,
      body: JSON.parse(raw.body) as Record<string, unknown>,
      raw,
      response: res,
    };
    deliveries.push(delivery);
    respond(delivery);
  });
  return { ...server, deliveries, refusals };
}
