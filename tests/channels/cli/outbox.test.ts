/**
 * `lotse outbox` (channels/cli/outbox.ts). Kept beside the outbox tests because this stage owns
 * only these folders; it belongs in tests/channels/cli once the command is wired into main.ts.
 */
import { describe, expect, it } from 'vitest';
import { outboxCommand } from '../../../channels/cli/outbox.js';
import { UsageError } from '../../../channels/cli/io.js';
import { SqlOutboxStore } from '../../../flows/outbox/outbox-store.js';
import { backends } from '../../storage/backends.js';
import { fakeClock, submission, useFreshStores } from '../../flows/outbox/helpers.js';

const sqlite = backends.find((b) => b.name === 'sqlite')!;

describe('lotse outbox', () => {
  const context = useFreshStores(sqlite);

  async function filled() {
    const clock = fakeClock();
    const outbox = new SqlOutboxStore(context.stores.sql, { now: clock.now });
    const delivered = await outbox.enqueue(submission({ flow: 'anwohnerparken' }));
    await outbox.markDelivered(delivered.id, 'SR-1');
    clock.advance(1000);
    const retrying = await outbox.enqueue(submission());
    await outbox.claimDue(clock.now(), 10, 60_000);
    await outbox.markRetry(retrying.id, 'HTTP 503', new Date('2026-03-02T09:05:00Z'));
    clock.advance(1000);
    const dead = await outbox.enqueue(submission());
    await outbox.markDead(dead.id, 'refused by the backend: 404 service_code 999 was not found');
    return { outbox, delivered, retrying, dead };
  }

  function io() {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) },
    };
  }

  it('lists receipts, flow, status, attempts, next attempt and last error, newest first', async () => {
    const { outbox, retrying, dead, delivered } = await filled();
    const { out, io: sink } = io();
    expect(await outboxCommand(['list'], { outbox }, sink)).toBe(0);
    expect(out).toEqual([
      'receipt\tflow\tstatus\tattempts\tnext attempt\tlast error',
      `${dead.receipt}\tmaengelmelder\tdead\t0\t-\trefused by the backend: 404 service_code 999 was not found`,
      `${retrying.receipt}\tmaengelmelder\tpending\t1\t2026-03-02T09:05:00.000Z\tHTTP 503`,
      `${delivered.receipt}\tanwohnerparken\tdelivered\t0\t-\t-`,
    ]);
  });

  it('prints JSON objects without personal data, filtered by status', async () => {
    const { outbox, dead } = await filled();
    const { out, io: sink } = io();
    await outboxCommand(['list', '--json', '--status', 'dead'], { outbox }, sink);
    const listed = JSON.parse(out.join('')) as Record<string, unknown>[];
    expect(listed).toEqual([
      {
        receipt: dead.receipt,
        flow: 'maengelmelder',
        connector: 'scripted',
        status: 'dead',
        attempts: 0,
        nextAttemptAt: dead.nextAttemptAt,
        lastError: 'refused by the backend: 404 service_code 999 was not found',
        backendReference: null,
        createdAt: dead.createdAt,
      },
    ]);
    expect(out.join('')).not.toContain('erika@example.org');
  });

  it('says so when nothing matches', async () => {
    const { out, io: sink } = io();
    await outboxCommand(['list', '--status', 'rejected'], { outbox: context.stores.outbox }, sink);
    expect(out).toEqual(['No rejected submissions.']);
  });

  it('queues a dead submission again by its receipt, and only a dead one', async () => {
    const { outbox, dead, delivered } = await filled();
    const { out, err, io: sink } = io();
    expect(await outboxCommand(['retry', dead.receipt.toLowerCase()], { outbox }, sink)).toBe(0);
    expect(out).toEqual([`Queued ${dead.receipt.toLowerCase()} for delivery again.`]);
    expect((await outbox.get(dead.id))?.status).toBe('pending');
    expect(await outboxCommand(['retry', delivered.receipt], { outbox }, sink)).toBe(1);
    expect(err[0]).toContain('no dead submission');
  });

  it('rejects an unknown status or subcommand as a usage error', async () => {
    const { io: sink } = io();
    const stores = { outbox: context.stores.outbox };
    await expect(outboxCommand(['list', '--status', 'lost'], stores, sink)).rejects.toThrow(
      UsageError,
    );
    await expect(outboxCommand(['purge'], stores, sink)).rejects.toThrow(/list or retry/);
    await expect(outboxCommand(['list', '--limit', '0'], stores, sink)).rejects.toThrow(/--limit/);
  });
});
