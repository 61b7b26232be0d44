import type { StoreItems } from 'botbuilder';
import { ConversationState, MemoryStorage, TestAdapter } from 'botbuilder';
import type { Storage } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { backends, uniqueId, useStores } from './backends.js';

/** Outcome of one storage call, eTag values left out (they are opaque and differ by design). */
type Outcome = { ok: true; items?: StoreItems } | { ok: false; error: string };

/** A sequence of calls covering every eTag rule; run on MemoryStorage and on ours to compare. */
async function scenario(storage: Storage, prefix: string): Promise<Outcome[]> {
  const a = `${prefix}/a`;
  const b = `${prefix}/b`;
  const outcomes: Outcome[] = [];
  const step = async (call: () => Promise<StoreItems | void>) => {
    try {
      const items = await call();
      outcomes.push(items ? { ok: true, items: withoutETags(items) } : { ok: true });
    } catch (error) {
      outcomes.push({ ok: false, error: (error as Error).message.replace(prefix, '<prefix>') });
    }
  };
  const eTagOf = async (key: string) => (await storage.read([key]))[key]?.eTag as string;

  await step(() => storage.write({ [a]: { n: 1 } }));
  const first = await eTagOf(a);
  await step(() => storage.write({ [a]: { n: 2, eTag: first } }));
  await step(() => storage.write({ [a]: { n: 3, eTag: first } }));
  await step(() => storage.read([a, b]));
  await step(() => storage.write({ [a]: { n: 4, eTag: '*' } }));
  await step(() => storage.write({ [b]: { n: 5, eTag: 'never-issued' } }));
  await step(() => storage.write({ [a]: { n: 6, eTag: first }, [b]: { n: 7 } }));
  await step(() => storage.read([a, b, `${prefix}/unknown`]));
  await step(() => storage.delete([a, `${prefix}/unknown`]));
  await step(() => storage.read([a, b]));
  await step(() => storage.write({ [a]: { n: 8, eTag: first } }));
  await step(() => storage.read([a]));
  return outcomes;
}

function withoutETags(items: StoreItems): StoreItems {
  return Object.fromEntries(
    Object.entries(items).map(([key, item]) => {
      const { eTag: _eTag, ...rest } = item as Record<string, unknown>;
      return [key.slice(key.lastIndexOf('/')), rest];
    }),
  );
}

describe.each(backends)('bot state on $name', (backend) => {
  const context = useStores(backend);

  it('behaves like botbuilder MemoryStorage through every eTag rule', async () => {
    const expected = await scenario(new MemoryStorage(), 'memory');
    const actual = await scenario(context.stores.state, uniqueId('parity'));
    expect(actual).toEqual(expected);
    expect(expected.some((o) => !o.ok)).toBe(true);
  });

  it('returns the stored document with a fresh eTag after each write', async () => {
    const key = uniqueId('state');
    await context.stores.state.write({ [key]: { topic: 'passport', nested: { step: 2 } } });
    const first = (await context.stores.state.read([key]))[key];
    expect(first).toMatchObject({ topic: 'passport', nested: { step: 2 } });
    expect(typeof first?.eTag).toBe('string');
    await context.stores.state.write({ [key]: { ...first, topic: 'parking' } });
    const second = (await context.stores.state.read([key]))[key];
    expect(second?.topic).toBe('parking');
    expect(second?.eTag).not.toBe(first?.eTag);
  });

  it('rejects a write with a stale eTag and keeps the stored document', async () => {
    const key = uniqueId('state');
    await context.stores.state.write({ [key]: { version: 1 } });
    const stale = (await context.stores.state.read([key]))[key];
    await context.stores.state.write({ [key]: { ...stale, version: 2 } });
    await expect(
      context.stores.state.write({ [key]: { ...stale, version: 3 } }),
    ).rejects.toMatchObject({
      code: 'LOTSE_STORAGE_ETAG_CONFLICT',
      message: expect.stringContaining('eTag conflict') as unknown,
    });
    expect((await context.stores.state.read([key]))[key]?.version).toBe(2);
  });

  it("overwrites whatever is stored when the change's eTag is '*'", async () => {
    const key = uniqueId('state');
    await context.stores.state.write({ [key]: { version: 1 } });
    await context.stores.state.write({ [key]: { version: 2, eTag: '*' } });
    expect((await context.stores.state.read([key]))[key]?.version).toBe(2);
  });

  it('lets exactly one of twenty concurrent writers holding the same eTag win', async () => {
    const key = uniqueId('state');
    await context.stores.state.write({ [key]: { writer: -1 } });
    const { eTag } = (await context.stores.state.read([key]))[key] as { eTag: string };
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, writer) =>
        context.stores.state.write({ [key]: { writer, eTag } }),
      ),
    );
    const winners = results.flatMap((r, writer) => (r.status === 'fulfilled' ? [writer] : []));
    expect(winners).toHaveLength(1);
    expect((await context.stores.state.read([key]))[key]?.writer).toBe(winners[0]);
  });

  it('writes state inside a transaction only when the transaction commits', async () => {
    const kept = uniqueId('state');
    const dropped = uniqueId('state');
    await context.stores.sql.transaction(async (tx) => {
      await context.stores.state.withClient(tx).write({ [kept]: { n: 1 } });
    });
    await context.stores.sql
      .transaction(async (tx) => {
        await context.stores.state.withClient(tx).write({ [dropped]: { n: 2 } });
        throw new Error('the outbox insert failed');
      })
      .catch(() => undefined);
    expect(Object.keys(await context.stores.state.read([kept, dropped]))).toEqual([kept]);
  });

  it('reads nothing for an empty key list and deletes nothing for one', async () => {
    await expect(context.stores.state.read([])).resolves.toEqual({});
    await expect(context.stores.state.delete([])).resolves.toBeUndefined();
  });

  it('keeps ConversationState across turns like any botbuilder storage', async () => {
    const conversationState = new ConversationState(context.stores.state);
    const counter = conversationState.createProperty<number>('turns');
    const adapter = new TestAdapter(async (turn) => {
      const turns = (await counter.get(turn, 0)) + 1;
      await counter.set(turn, turns);
      await turn.sendActivity(`turn ${turns}`);
      await conversationState.saveChanges(turn);
    });
    await adapter.send('hallo').assertReply('turn 1').send('noch da?').assertReply('turn 2');
  });
});
