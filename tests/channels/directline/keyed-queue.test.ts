/**
 * The per-conversation queue: one task at a time per key, keys independent, failures isolated.
 */
import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../../channels/directline/keyed-queue.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('KeyedQueue', () => {
  it('starts a task of a key only after the previous one settled', async () => {
    const queue = new KeyedQueue();
    const events: string[] = [];
    const gate = deferred();
    const first = queue.run('a', async () => {
      events.push('start 1');
      await gate.promise;
      events.push('end 1');
    });
    const second = queue.run('a', async () => {
      events.push('start 2');
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(events).toEqual(['start 1']);
    gate.resolve();
    await Promise.all([first, second]);
    expect(events).toEqual(['start 1', 'end 1', 'start 2']);
  });

  it('runs tasks of different keys side by side', async () => {
    const queue = new KeyedQueue();
    const gate = deferred();
    const blocked = queue.run('a', () => gate.promise);
    await expect(queue.run('b', async () => 'b done')).resolves.toBe('b done');
    gate.resolve();
    await blocked;
  });

  it('runs the next task after a failed one and forgets idle keys', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('a', async () => {
      throw new Error('boom');
    });
    const next = queue.run('a', async () => 'next');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
    await new Promise(setImmediate); // let the queue's bookkeeping callbacks run
    expect(queue.activeKeys).toBe(0);
  });
});
