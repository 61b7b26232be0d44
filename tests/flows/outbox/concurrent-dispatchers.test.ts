import { describe, expect, it } from 'vitest';
import type { Connector } from '../../../flows/connectors/connector.js';
import { Dispatcher } from '../../../flows/outbox/dispatcher.js';
import type { OutboxSubmission } from '../../../flows/outbox/types.js';
import type { Stores } from '../../../storage/open-store.js';
import { backends, gate } from '../../storage/backends.js';
import { submission, useFreshStores } from './helpers.js';

/**
 * What the receiving office sees, shared by both dispatchers: deliveries per idempotency key.
 * Each dispatcher gets its own door (`forDispatcher`); the first delivery through each door waits
 * until the other door has one in flight too, so the two really work at the same time.
 */
class CountingReceiver {
  readonly deliveries = new Map<string, number>();
  private readonly started = [false, false];
  private readonly both = gate();

  forDispatcher(index: 0 | 1): Connector {
    return {
      deliver: async (s: OutboxSubmission) => {
        this.deliveries.set(s.idempotencyKey, (this.deliveries.get(s.idempotencyKey) ?? 0) + 1);
        this.started[index] = true;
        if (this.started.every(Boolean)) this.both.open();
        await this.both.promise;
        await new Promise((resolve) => setImmediate(resolve));
        return { reference: `ref-${s.idempotencyKey}` };
      },
    };
  }
}

describe.each(backends)('two dispatchers on one $name database', (backend) => {
  const context = useFreshStores(backend);

  it('never deliver one submission twice, and together deliver all of them', async () => {
    const second: Stores = await context.database.open();
    try {
      const count = 60;
      for (let i = 0; i < count; i += 1) {
        await context.stores.outbox.enqueue(submission({ idempotencyKey: `key-${i}` }));
      }
      const receiver = new CountingReceiver();
      const claimedBy = [0, 0];
      const dispatchers = [context.stores, second].map(
        (stores, index) =>
          new Dispatcher({
            outbox: stores.outbox,
            connectors: { scripted: receiver.forDispatcher(index as 0 | 1) },
            batchSize: 4,
            leaseMs: 600_000,
          }),
      );
      await Promise.all(
        dispatchers.map(async (dispatcher, index) => {
          for (let n = await dispatcher.runOnce(); n > 0; n = await dispatcher.runOnce()) {
            claimedBy[index]! += n;
          }
        }),
      );
      expect(receiver.deliveries.size).toBe(count);
      expect([...receiver.deliveries.values()].every((n) => n === 1)).toBe(true);
      expect(claimedBy[0]! + claimedBy[1]!).toBe(count);
      expect(claimedBy.every((n) => n > 0)).toBe(true);
      const delivered = await second.outbox.list({ status: 'delivered', limit: 1000 });
      expect(delivered).toHaveLength(count);
      expect(delivered.every((r) => r.attempts === 1)).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('see each other’s leases: a claim by one store is invisible to the other', async () => {
    const second: Stores = await context.database.open();
    try {
      await context.stores.outbox.enqueue(submission());
      const now = new Date(Date.now() + 1000);
      const results = await Promise.all([
        context.stores.outbox.claimDue(now, 10, 60_000),
        second.outbox.claimDue(now, 10, 60_000),
      ]);
      expect(results.map((claimed) => claimed.length).sort()).toEqual([0, 1]);
    } finally {
      await second.close();
    }
  });
});
