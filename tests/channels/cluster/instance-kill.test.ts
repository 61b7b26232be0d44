/**
 * Two `lotse serve` instances on one PostgreSQL database and one Redis: applications are filled in
 * with their turns alternating between the instances; one instance is SIGKILLed while it holds a
 * delivery open; the other instance delivers every confirmed submission — the killed one's too,
 * once its lease runs out — and each exactly once after de-duplication by idempotency key.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../knowledge/fixtures.js';
import { backends } from '../../storage/backends.js';
import {
  apply,
  freePort,
  killAll,
  ready,
  serve,
  until,
  webhookReceiver,
} from '../serve-harness.js';

const SECRET = 'cluster-webhook-secret-0123456789';
const APPLICATIONS = 4;
afterAll(killAll);

describe('killing one of two instances mid-delivery', () => {
  it('loses no confirmed submission: the other instance delivers them all', async () => {
    const database = await backends.find((b) => b.name === 'postgres')!.createDatabase();
    const prefix = `lotse-test-${randomBytes(4).toString('hex')}:`;
    const receiver = await webhookReceiver(SECRET, 1);
    const backendsFile = join(tempDir(), 'backends.json');
    writeFileSync(
      backendsFile,
      JSON.stringify({
        bewohnerparkausweis: { type: 'webhook', url: receiver.url, secret: SECRET },
      }),
    );
    const [portA, portB] = [await freePort(), await freePort()];
    const env = (port: number) => ({
      LOTSE_DATA_DIR: tempDir(),
      PORT: String(port),
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.options.databaseUrl!,
      REDIS_URL: 'redis://127.0.0.1:6379',
      LOTSE_REDIS_PREFIX: prefix,
      LOTSE_BACKENDS_FILE: backendsFile,
      LOTSE_DISPATCH_INTERVAL_MS: '100',
      LOTSE_DISPATCH_LEASE_MS: '1000',
      LOTSE_DIRECTLINE_SECRET: 'cluster-directline-secret-0123456789-abcdef',
    });
    const [baseA, baseB] = [`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`];
    try {
      // A alone first, so that the delivery held open is A's.
      const a = serve(env(portA));
      await ready(baseA);
      const receipts = [await apply([baseA], 'Erika Muster 0')];
      await until(() => receiver.held.length >= 1);
      expect(receiver.held.length).toBe(1);

      const b = serve(env(portB));
      await ready(baseB);
      for (let i = 1; i < APPLICATIONS; i++) {
        receipts.push(await apply([baseA, baseB], `Erika Muster ${i}`));
      }
      a.kill('SIGKILL');
      await once(a, 'exit');
      receiver.release();

      await until(() => new Set(receiver.arrivals.map((x) => x.key)).size >= APPLICATIONS);
      b.kill('SIGTERM');
      await once(b, 'exit');

      const { arrivals } = receiver;
      expect(arrivals.every((x) => x.verified)).toBe(true);
      const unique = new Map(arrivals.map((x) => [x.key, x.receipt]));
      expect([...unique.values()].sort()).toEqual([...receipts].sort());
      // Only the delivery A held when it died arrived twice (A's attempt, then B's).
      expect(arrivals.length).toBe(APPLICATIONS + 1);
    } finally {
      receiver.close();
      await database.dispose();
      const redis = new Redis('redis://127.0.0.1:6379');
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    }
  }, 120_000);
});
