/**
 * A citizen's submitted application is never lost, even if the server is killed mid-delivery:
 * the real `lotse serve` process takes applications over Direct Line and delivers them to a
 * signed-webhook receiver this test runs; the receiver holds the first deliveries open, the test
 * SIGKILLs the server while they are in flight, restarts it on the same data directory, and every
 * confirmed submission arrives — each exactly once after de-duplication by idempotency key.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../knowledge/fixtures.js';
import { apply, freePort, killAll, ready, serve, until, webhookReceiver } from './serve-harness.js';

const SECRET = 'crash-webhook-secret-0123456789';
const APPLICATIONS = 4;
const HELD = 1;
afterAll(killAll);

describe('killing the server mid-delivery', () => {
  it('loses no confirmed submission and delivers each exactly once after de-duplication', async () => {
    const receiver = await webhookReceiver(SECRET, HELD);
    const dataDir = tempDir();
    const backends = join(dataDir, 'backends.json');
    writeFileSync(
      backends,
      JSON.stringify({
        bewohnerparkausweis: {
          type: 'webhook',
          url: receiver.url,
          secret: SECRET,
        },
      }),
    );
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      LOTSE_DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'silent',
      LOTSE_BACKENDS_FILE: backends,
      LOTSE_DISPATCH_INTERVAL_MS: '100',
      LOTSE_DISPATCH_LEASE_MS: '1000',
      LOTSE_DIRECTLINE_SECRET: 'crash-directline-secret-0123456789-abcdef',
    };

    const first = serve(env);
    await ready(base);
    const receipts: string[] = [];
    for (let i = 0; i < APPLICATIONS; i++) receipts.push(await apply([base], `Erika Muster ${i}`));
    // Wait until deliveries are in flight (held open by the receiver), then kill the server.
    await until(() => receiver.held.length >= HELD);
    expect(receiver.held.length).toBe(HELD);
    first.kill('SIGKILL');
    await once(first, 'exit');
    receiver.release();

    const second = serve(env);
    await ready(base);
    const { arrivals } = receiver;
    await until(() => new Set(arrivals.map((a) => a.key)).size >= APPLICATIONS);
    second.kill('SIGTERM');
    receiver.close();

    expect(arrivals.every((a) => a.verified)).toBe(true);
    const unique = new Map(arrivals.map((a) => [a.key, a.receipt]));
    expect([...unique.values()].sort()).toEqual([...receipts].sort());
    // The delivery in flight at the kill arrived again after the restart; no other arrived twice.
    expect(arrivals.length).toBe(APPLICATIONS + HELD);
  }, 90_000);
});
