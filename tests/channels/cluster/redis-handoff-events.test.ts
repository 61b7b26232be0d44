/** Console notices across instances: an agent's console on A hears what happened on B. */
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { HandoffNotice } from '../../../bot/handoff/events.js';
import { type Bus, LocalBus, RedisBus } from '../../../channels/cluster/bus.js';
import { RedisHandoffEvents } from '../../../channels/cluster/redis-handoff-events.js';
import type { HandoffRequest } from '../../../storage/types.js';
import { eventually, redisUnderTest } from './redis-harness.js';

const redis = redisUnderTest();
afterAll(() => redis.cleanUp());

const handoff: HandoffRequest = {
  id: 'h1',
  conversationId: 'c1',
  channel: 'directline',
  reason: 'user-request',
  department: 'Bezirksamt Altona',
  language: 'de',
  conversation: { conversation: { id: 'c1' }, channelId: 'directline' },
  status: 'pending',
  createdAt: '2026-03-02T08:00:00.000Z',
  updatedAt: '2026-03-02T08:00:00.000Z',
};

describe('RedisHandoffEvents', () => {
  it('brings notices published on B to listeners on A and on B, in order and unchanged', async () => {
    const busA = new RedisBus(await redis.connect());
    const busB = new RedisBus(await redis.connect());
    const a = new RedisHandoffEvents(busA);
    const b = new RedisHandoffEvents(busB);
    await Promise.all([a.start(), b.start()]);
    const onA: HandoffNotice[] = [];
    const onB: HandoffNotice[] = [];
    a.subscribe((notice) => onA.push(notice));
    b.subscribe((notice) => onB.push(notice));

    const notices: HandoffNotice[] = [
      { type: 'handoff-updated', handoff },
      {
        type: 'handoff-message',
        handoffId: 'h1',
        conversationId: 'c1',
        message: { from: 'citizen', text: 'Hallo?', timestamp: '2026-03-02T08:00:05.000Z' },
      },
      { type: 'presence-changed' },
      { type: 'staff-signed-out', username: 'anna' },
    ];
    for (const notice of notices) await b.publish(notice);
    await eventually(() => onA.length === 4 && onB.length === 4);

    expect(onA).toEqual(notices);
    expect(onB).toEqual(notices);
    await Promise.all([a.close(), b.close()]);
    await Promise.all([busA.close(), busB.close()]);
  });

  it('stops a listener that unsubscribed, and leaves the bus on close', async () => {
    const bus = new LocalBus();
    const events = new RedisHandoffEvents(bus);
    await events.start();
    const heard: HandoffNotice[] = [];
    const stop = events.subscribe((notice) => heard.push(notice));
    await events.publish({ type: 'presence-changed' });
    stop();
    await events.publish({ type: 'presence-changed' });
    expect(heard).toHaveLength(1);
    await events.close();
    expect(bus.handlerCount('handoff')).toBe(0);
  });

  it('reports malformed messages and throwing listeners without losing the other listeners', async () => {
    const bus = new LocalBus();
    const onError = vi.fn();
    const events = new RedisHandoffEvents(bus, { onError });
    await events.start();
    const heard: HandoffNotice[] = [];
    events.subscribe(() => {
      throw new Error('kaputt');
    });
    events.subscribe((notice) => heard.push(notice));
    await bus.publish('handoff', '{"type":"unbekannt"}');
    await bus.publish('handoff', 'kein json');
    await events.publish({ type: 'presence-changed' });
    expect(heard).toEqual([{ type: 'presence-changed' }]);
    expect(onError).toHaveBeenCalledTimes(3);
  });

  it('does not fail the publisher when the bus refuses, and still tells local listeners', async () => {
    const refusing: Bus = {
      publish: async () => Promise.reject(new Error('redis down')),
      subscribe: async () => async () => {},
    };
    const onError = vi.fn();
    const events = new RedisHandoffEvents(refusing, { onError });
    await events.start();
    const heard: HandoffNotice[] = [];
    events.subscribe((notice) => heard.push(notice));
    await expect(events.publish({ type: 'presence-changed' })).resolves.toBeUndefined();
    expect(heard).toEqual([{ type: 'presence-changed' }]);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'redis down' }));
  });
});
