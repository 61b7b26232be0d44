/**
 * `BackgroundTasks` starts work at once, reports failures to its handler, and `whenIdle` waits for
 * everything started — also for tasks started by running ones — without any sleeping.
 */
import { describe, expect, it, vi } from 'vitest';
import { BackgroundTasks } from '../../channels/background-tasks.js';

/** A promise the test settles by hand. */
function gate() {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

describe('BackgroundTasks', () => {
  it('starts the task at once and is idle only when it has finished', async () => {
    const tasks = new BackgroundTasks();
    const release = gate();
    const started = vi.fn();
    tasks.run(async () => {
      started();
      await release.promise;
    });
    expect(started).toHaveBeenCalledTimes(1);
    let idle = false;
    const whenIdle = tasks.whenIdle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    release.open();
    await whenIdle;
    expect(idle).toBe(true);
  });

  it('waits for tasks that running tasks start', async () => {
    const tasks = new BackgroundTasks();
    const order: string[] = [];
    const inner = gate();
    tasks.run(async () => {
      order.push('outer');
      tasks.run(async () => {
        await inner.promise;
        order.push('inner');
      });
    });
    const whenIdle = tasks.whenIdle();
    inner.open();
    await whenIdle;
    expect(order).toEqual(['outer', 'inner']);
  });

  it('hands a failure to onError and stays usable; without one it is dropped', async () => {
    const tasks = new BackgroundTasks();
    const onError = vi.fn();
    const failing = gate();
    tasks.run(() => failing.promise, onError);
    tasks.run(() => Promise.reject(new Error('ignored')));
    failing.fail(new Error('delivery failed'));
    await tasks.whenIdle();
    expect(onError).toHaveBeenCalledWith(new Error('delivery failed'));
    await expect(tasks.whenIdle()).resolves.toBeUndefined();
  });
});
