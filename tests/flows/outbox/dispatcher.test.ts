import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../flows/connectors/connector.js';
import { Dispatcher } from '../../../flows/outbox/dispatcher.js';
import { SqlOutboxStore } from '../../../flows/outbox/outbox-store.js';
import type { OutboxLogger, OutboxStatusEvent } from '../../../flows/outbox/types.js';
import { backends, gate } from '../../storage/backends.js';
import type { Step } from './helpers.js';
import { ScriptedConnector, fakeClock, submission, useFreshStores } from './helpers.js';

const backoff = { baseMs: 1000, factor: 2, maxMs: 5000, maxAttempts: 5 };
const transient = () => new DeliveryError('transient', 'HTTP 503 from the backend');

describe.each(backends)('the dispatcher on $name', (backend) => {
  const context = useFreshStores(backend);

  function setup(steps?: Step[], extra: { logger?: OutboxLogger; onStatus?: () => void } = {}) {
    const clock = fakeClock();
    const outbox = new SqlOutboxStore(context.stores.sql, { now: clock.now });
    const connector = new ScriptedConnector(steps);
    const events: OutboxStatusEvent[] = [];
    const dispatcher = new Dispatcher({
      outbox,
      connectors: { scripted: connector },
      clock,
      backoff,
      leaseMs: 60_000,
      batchSize: 5,
      onStatus: extra.onStatus ?? ((event) => void events.push(event)),
      ...(extra.logger ? { logger: extra.logger } : {}),
    });
    return { clock, outbox, connector, events, dispatcher };
  }

  it('delivers a submission, keeps the reference and tells the listener', async () => {
    const { outbox, connector, events, dispatcher } = setup([{ reference: 'SR-4711' }]);
    const record = await outbox.enqueue(submission({ idempotencyKey: 'idem-1' }));
    expect(await dispatcher.runOnce()).toBe(1);
    expect(connector.calls).toMatchObject([
      { receipt: record.receipt, idempotencyKey: 'idem-1', attempts: 1, payload: record.payload },
    ]);
    expect(connector.calls[0]).not.toHaveProperty('conversation');
    expect(await outbox.get(record.id)).toMatchObject({
      status: 'delivered',
      backendReference: 'SR-4711',
    });
    expect(events).toMatchObject([
      { type: 'delivered', reference: 'SR-4711', record: { receipt: record.receipt } },
    ]);
    expect(events[0]?.record.conversation).toEqual(record.conversation);
    expect(await dispatcher.runOnce()).toBe(0);
  });

  it('dead-letters a refused submission at once, with the reason, and keeps it', async () => {
    const refusal = new DeliveryError('permanent', 'open311 answered 400: service_code not found');
    const { outbox, connector, events, dispatcher } = setup([refusal]);
    const record = await outbox.enqueue(submission());
    await dispatcher.runOnce();
    expect(connector.calls).toHaveLength(1);
    expect(await outbox.get(record.id)).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastError: 'refused by the backend: open311 answered 400: service_code not found',
    });
    expect(events.map((e) => e.type)).toEqual(['dead']);
  });

  it('retries transient failures on the backoff schedule and dead-letters after the last attempt', async () => {
    const { clock, outbox, connector, events, dispatcher } = setup([transient()]);
    const record = await outbox.enqueue(submission());
    const waits: number[] = [];
    for (let attempt = 1; attempt <= backoff.maxAttempts; attempt += 1) {
      expect(await dispatcher.runOnce()).toBe(1);
      const stored = await outbox.get(record.id);
      if (stored?.status !== 'pending') break;
      const wait = Date.parse(stored.nextAttemptAt) - clock.now().getTime();
      waits.push(wait);
      clock.advance(wait - 1);
      expect(await dispatcher.runOnce()).toBe(0);
      clock.advance(1);
    }
    expect(waits).toEqual([1000, 2000, 4000, 5000]);
    expect(connector.calls.map((c) => c.attempts)).toEqual([1, 2, 3, 4, 5]);
    expect(await outbox.get(record.id)).toMatchObject({
      status: 'dead',
      attempts: 5,
      lastError: 'gave up after 5 attempts: HTTP 503 from the backend',
    });
    expect(events.map((e) => e.type)).toEqual([
      ...Array<string>(4).fill('retry-scheduled'),
      'dead',
    ]);
  });

  it('delivers after a transient failure once the wait is over', async () => {
    const { clock, outbox, dispatcher } = setup([transient(), { reference: 'SR-2' }]);
    const record = await outbox.enqueue(submission());
    await dispatcher.runOnce();
    clock.advance(1000);
    await dispatcher.runOnce();
    expect(await outbox.get(record.id)).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('waits as long as the backend asks with Retry-After', async () => {
    const busy = new DeliveryError('transient', '429', { retryAfterMs: 120_000 });
    const { clock, outbox, dispatcher } = setup([busy]);
    const record = await outbox.enqueue(submission());
    await dispatcher.runOnce();
    const next = Date.parse((await outbox.get(record.id))!.nextAttemptAt);
    expect(next - clock.now().getTime()).toBe(120_000);
  });

  it('retries after an unexpected connector error, and leaves submissions of unconfigured connectors waiting untouched', async () => {
    const { outbox, dispatcher } = setup([new TypeError('cannot read x of undefined')]);
    const broken = await outbox.enqueue(submission());
    const orphan = await outbox.enqueue(submission({ connector: 'removed-from-config' }));
    await dispatcher.runOnce();
    expect(await outbox.get(broken.id)).toMatchObject({
      status: 'pending',
      lastError: 'connector failed: cannot read x of undefined',
    });
    const waiting = await outbox.get(orphan.id);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0 });
    expect(waiting?.lastError).toBeUndefined();
  });

  it('dead-letters a submission whose last allowed attempt was interrupted by a crash', async () => {
    const { clock, outbox, connector, events, dispatcher } = setup();
    const record = await outbox.enqueue(submission());
    // Five dispatchers died while delivering it: each claim counted, none finished.
    for (let crash = 0; crash < backoff.maxAttempts; crash += 1) {
      expect(await outbox.claimDue(clock.now(), 1, 60_000)).toHaveLength(1);
      clock.advance(60_000);
    }
    await dispatcher.runOnce();
    expect(connector.calls).toEqual([]);
    expect(await outbox.get(record.id)).toMatchObject({
      status: 'dead',
      lastError: 'delivery interrupted; 5 attempts started, none finished',
    });
    expect(events.map((e) => e.type)).toEqual(['dead']);
  });

  it('keeps the outcome when the status listener throws, and logs the failure', async () => {
    const logged: string[] = [];
    const logger = {
      info: () => undefined,
      warn: () => undefined,
      error: (_: object, message: string) => void logged.push(message),
    };
    const { outbox, dispatcher } = setup(undefined, {
      logger,
      onStatus: () => {
        throw new Error('the channel is down');
      },
    });
    const record = await outbox.enqueue(submission());
    await dispatcher.runOnce();
    expect((await outbox.get(record.id))?.status).toBe('delivered');
    expect(logged).toEqual(['outbox: a status listener failed']);
  });

  it('delivers a batch concurrently, at most batchSize per round', async () => {
    const release = gate();
    let open = 0;
    let maxOpen = 0;
    const { outbox, connector, dispatcher } = setup([
      async () => {
        open += 1;
        maxOpen = Math.max(maxOpen, open);
        await release.promise;
        open -= 1;
        return {};
      },
    ]);
    for (let i = 0; i < 7; i += 1) await outbox.enqueue(submission());
    const round = dispatcher.runOnce();
    await until(() => connector.calls.length === 5);
    release.open();
    expect(await round).toBe(5);
    expect(maxOpen).toBe(5);
    expect(await dispatcher.runOnce()).toBe(2);
  });

  it('stops only after the deliveries in flight are recorded', async () => {
    const release = gate();
    const { outbox, connector, dispatcher } = setup([
      async () => {
        await release.promise;
        return { reference: 'late' };
      },
    ]);
    const record = await outbox.enqueue(submission());
    const delivered = new Promise<void>((resolve) => {
      dispatcher.start(5);
      void until(() => connector.calls.length === 1).then(resolve);
    });
    await delivered;
    let stopped = false;
    const stopping = dispatcher.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release.open();
    await stopping;
    expect((await outbox.get(record.id))?.status).toBe('delivered');
  });

  it('keeps delivering in the background once started, picking up new submissions', async () => {
    const { outbox } = setup();
    const delivered: string[] = [];
    const reached = new Map<number, () => void>();
    const deliveredCount = (n: number) => new Promise<void>((resolve) => reached.set(n, resolve));
    const dispatcher = new Dispatcher({
      outbox,
      connectors: { scripted: new ScriptedConnector() },
      batchSize: 2,
      onStatus: (event) => {
        delivered.push(event.record.id);
        reached.get(delivered.length)?.();
      },
    });
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await outbox.enqueue(submission())).id);
    const firstThree = deliveredCount(3);
    dispatcher.start(1);
    await firstThree;
    const allFive = deliveredCount(5);
    for (let i = 0; i < 2; i += 1) ids.push((await outbox.enqueue(submission())).id);
    await allFive;
    await dispatcher.stop();
    expect([...delivered].sort()).toEqual([...ids].sort());
  });

  it('refuses options out of range', () => {
    const { outbox } = setup();
    expect(() => new Dispatcher({ outbox, connectors: {}, leaseMs: 0 })).toThrow(/leaseMs/);
    expect(() => new Dispatcher({ outbox, connectors: {}, batchSize: -1 })).toThrow(/batchSize/);
  });
});

/** Resolves once `condition` holds, checking after each turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
