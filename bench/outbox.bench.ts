/**
 * Outbox throughput: submissions delivered per second to a local signed-webhook receiver by the
 * dispatcher (SQLite outbox: claim, sign, POST, mark delivered), against plain signed POSTs of the
 * same bodies to the same receiver with the same concurrency — the cost of never losing one.
 * Latency is from enqueue to delivered, with all submissions enqueued at once (queueing included).
 */
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SignedWebhookConnector } from '../flows/connectors/signed-webhook.js';
import { Dispatcher } from '../flows/outbox/dispatcher.js';
import { openStores } from '../storage/open-store.js';
import { fmt, percentile, table } from './measure.js';

const SUBMISSIONS = 500;
const CONCURRENCY = 10;
const SECRET = 'bench-webhook-secret-0123456789';

export async function runOutboxBench(): Promise<string> {
  let received = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"reference":"ok"}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/in`;
  const connector = new SignedWebhookConnector({ url, secret: SECRET });
  const payload = {
    applicant: { name: 'Erika Muster' },
    vehicle: { plate: 'M-AB 1234' },
    validityMonths: 12,
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'lotse-bench-outbox-'));
  const stores = await openStores({ dataDir });
  try {
    // Warm-up (connections, JIT), then the baseline: the same deliveries without an outbox.
    for (let i = 0; i < 50; i++) {
      await connector.deliver({
        id: `w${i}`,
        receipt: `W-${i}`,
        flow: 'bench',
        connector: 'bench',
        idempotencyKey: `warm-${i}`,
        payload,
        createdAt: new Date().toISOString(),
      } as never);
    }
    let next = 0;
    const baseStart = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < SUBMISSIONS) {
          const i = next++;
          await connector.deliver({
            id: `b${i}`,
            receipt: `B-${i}`,
            flow: 'bench',
            connector: 'bench',
            idempotencyKey: `base-${i}`,
            payload,
            createdAt: new Date().toISOString(),
          } as never);
        }
      }),
    );
    const baseSeconds = (performance.now() - baseStart) / 1000;

    const enqueuedAt = new Map<string, number>();
    const latencies: number[] = [];
    const dispatcher = new Dispatcher({
      outbox: stores.outbox,
      connectors: { bench: connector },
      batchSize: CONCURRENCY,
      onStatus: (e) => {
        if (e.type === 'delivered')
          latencies.push(performance.now() - (enqueuedAt.get(e.record.id) ?? 0));
      },
    });
    const start = performance.now();
    for (let i = 0; i < SUBMISSIONS; i++) {
      const r = await stores.outbox.enqueue({
        flow: 'bench',
        connector: 'bench',
        payload,
        idempotencyKey: `outbox-${i}`,
      });
      enqueuedAt.set(r.id, performance.now());
    }
    const enqueueSeconds = (performance.now() - start) / 1000;
    while ((await dispatcher.runOnce()) > 0);
    const seconds = (performance.now() - start) / 1000;
    const delivered = (await stores.outbox.list({ status: 'delivered', limit: SUBMISSIONS }))
      .length;
    return [
      `${SUBMISSIONS} submissions to a local signed webhook, ${CONCURRENCY} at a time`,
      table(
        ['path', 'submissions/s', 'p50 latency ms', 'p99 latency ms', 'delivered'],
        [
          [
            'plain signed POSTs (baseline)',
            fmt(SUBMISSIONS / baseSeconds, 0),
            '—',
            '—',
            String(SUBMISSIONS),
          ],
          [
            'outbox + dispatcher (SQLite)',
            fmt(SUBMISSIONS / seconds, 0),
            fmt(percentile(latencies, 50), 1),
            fmt(percentile(latencies, 99), 1),
            String(delivered),
          ],
        ],
      ),
      `ratio outbox/baseline throughput: ${fmt(baseSeconds / seconds)}×; enqueueing alone: ${fmt(SUBMISSIONS / enqueueSeconds, 0)} submissions/s; receiver saw ${received} requests`,
    ].join('\n');
  } finally {
    await stores.close();
    receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
