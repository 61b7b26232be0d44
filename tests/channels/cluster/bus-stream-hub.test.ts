/**
 * The Direct Line hub across instances: a stream held by instance A gets what instance B
 * publishes, in order, typing included; out-of-order publications of two instances are filled
 * from the transcript; one instance on a local bus behaves like the plain hub.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type Bus, LocalBus, RedisBus } from '../../../channels/cluster/bus.js';
import { BusStreamHub } from '../../../channels/cluster/bus-stream-hub.js';
import { DirectLineAdapter } from '../../../channels/directline/adapter.js';
import { readPage, type TranscriptPage } from '../../../channels/directline/transcript-pages.js';
import { MemoryTranscripts } from '../directline/memory-transcripts.js';
import { eventually, FakeSocket, redisUnderTest } from './redis-harness.js';

const redis = redisUnderTest();
afterAll(() => redis.cleanUp());

const nothingStored = async (after: number): Promise<TranscriptPage> => ({
  activities: [],
  watermark: after,
});

/** Two instances: each its own connections and hub, one Redis. */
async function twoInstances() {
  const busA = new RedisBus(await redis.connect());
  const busB = new RedisBus(await redis.connect());
  const a = new BusStreamHub(busA, { heartbeatMs: 0 });
  const b = new BusStreamHub(busB, { heartbeatMs: 0 });
  await Promise.all([a.start(), b.start()]);
  return {
    a,
    b,
    close: async () => {
      await Promise.all([a.close(), b.close()]);
      await Promise.all([busA.close(), busB.close()]);
    },
  };
}

describe('BusStreamHub over Redis', () => {
  it('delivers 100 activities published on B to a stream held on A, in order, typing included', async () => {
    const { a, b, close } = await twoInstances();
    const socket = new FakeSocket();
    await a.attach('c', socket.asSocket(), 0, nothingStored);

    for (let w = 1; w <= 100; w++) {
      if (w % 2 === 0) b.publish('c', { type: 'typing' });
      b.publish('c', { type: 'message', text: `m${w}` }, w);
    }
    await eventually(() => socket.frames.length === 150);

    const messages = socket.frames.filter((frame) => frame.watermark !== undefined);
    expect(messages.map((frame) => frame.watermark)).toEqual(
      Array.from({ length: 100 }, (_, i) => String(i + 1)),
    );
    expect(socket.frames[1]).toEqual({ activities: [{ type: 'typing' }] });
    expect(socket.frames[2]).toEqual({
      activities: [{ type: 'message', text: 'm2' }],
      watermark: '2',
    });
    await close();
  });

  it('carries what the Direct Line adapter on B records to the stream on A', async () => {
    const { a, b, close } = await twoInstances();
    const transcripts = new MemoryTranscripts();
    const adapterB = new DirectLineAdapter({ transcripts, streams: b });
    await adapterB.record({ type: 'message', text: 'vorher', conversation: { id: 'c' } as never });
    const socket = new FakeSocket();
    await a.attach('c', socket.asSocket(), 0, (after) => readPage(transcripts, 'c', after));

    for (let i = 1; i <= 20; i++) {
      await adapterB.record({ type: 'message', text: `r${i}`, conversation: { id: 'c' } as never });
    }
    await eventually(() => socket.texts().length === 21);
    expect(socket.texts()).toEqual([
      'vorher',
      ...Array.from({ length: 20 }, (_, i) => `r${i + 1}`),
    ]);
    expect(socket.frames.at(-1)?.activities[0]?.id).toBe('c|0000021');
    await close();
  });

  it('also delivers to streams on the publishing instance, through the bus', async () => {
    const { a, b, close } = await twoInstances();
    const onA = new FakeSocket();
    const onB = new FakeSocket();
    await a.attach('c', onA.asSocket(), 0, nothingStored);
    await b.attach('c', onB.asSocket(), 0, nothingStored);
    a.publish('c', { type: 'message', text: 'von A' }, 1);
    await eventually(() => onA.frames.length === 1 && onB.frames.length === 1);
    expect([onA.texts(), onB.texts()]).toEqual([['von A'], ['von A']]);
    await close();
  });
});

describe('BusStreamHub', () => {
  it('fills a gap from the transcript when a later activity arrives first, sending each once', async () => {
    const stored = ['m1', 'm2', 'm3'].map((text) => ({ type: 'message', text }));
    let visible = 1;
    const replay = async (after: number): Promise<TranscriptPage> => {
      const page = stored.slice(after, visible);
      return { activities: page, watermark: after + page.length };
    };
    const bus = new LocalBus();
    const hub = new BusStreamHub(bus, { heartbeatMs: 0 });
    await hub.start();
    const socket = new FakeSocket();
    await hub.attach('c', socket.asSocket(), 0, replay);

    // Instances A and B appended m2 and m3; B's m3 comes over the bus before A's m2.
    visible = 3;
    hub.publish('c', stored[2]!, 3);
    await eventually(() => socket.texts().length === 3);
    hub.publish('c', stored[1]!, 2);

    expect(socket.texts()).toEqual(['m1', 'm2', 'm3']);
    expect(socket.frames.map((frame) => frame.watermark)).toEqual(['1', '3']);
    await hub.close();
  });

  it('fills again when a later activity arrives while a gap is being filled', async () => {
    const stored = ['m1', 'm2', 'm3', 'm4', 'm5'].map((text) => ({ type: 'message', text }));
    let visible = 1;
    let onEmptyRead: () => void = () => {};
    const replay = async (after: number): Promise<TranscriptPage> => {
      const page = stored.slice(after, visible);
      if (page.length === 0) onEmptyRead();
      return { activities: page, watermark: after + page.length };
    };
    const bus = new LocalBus();
    const hub = new BusStreamHub(bus, { heartbeatMs: 0 });
    await hub.start();
    const socket = new FakeSocket();
    await hub.attach('c', socket.asSocket(), 0, replay);

    // m3 arrives before m2, so the hub reads the transcript. After its last read (up to m3), m4
    // and m5 commit and m5's publication arrives before m4's.
    visible = 3;
    onEmptyRead = () => {
      onEmptyRead = () => {};
      visible = 5;
      hub.publish('c', stored[4]!, 5);
    };
    hub.publish('c', stored[2]!, 3);
    await eventually(() => socket.frames.at(-1)?.watermark === '5');
    hub.publish('c', stored[1]!, 2);
    hub.publish('c', stored[3]!, 4);

    expect(socket.texts()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    await hub.close();
  });

  it('on one instance with a local bus, replays then sends live like the plain hub', async () => {
    const stored = ['m1', 'm2'].map((text) => ({ type: 'message', text }));
    const hub = new BusStreamHub(new LocalBus(), { heartbeatMs: 0 });
    await hub.start();
    const socket = new FakeSocket();
    await hub.attach('c', socket.asSocket(), 1, async (after) => {
      const page = stored.slice(after);
      return { activities: page, watermark: after + page.length };
    });
    hub.publish('c', { type: 'message', text: 'm3' }, 3);
    hub.publish('c', { type: 'typing' });
    expect(socket.frames).toEqual([
      { activities: [{ type: 'message', text: 'm2' }], watermark: '2' },
      { activities: [{ type: 'message', text: 'm3' }], watermark: '3' },
      { activities: [{ type: 'typing' }] },
    ]);
    await hub.close();
  });

  it('closes its streams with 1001 and leaves the bus on close', async () => {
    const bus = new LocalBus();
    const hub = new BusStreamHub(bus, { heartbeatMs: 0 });
    await hub.start();
    const socket = new FakeSocket();
    await hub.attach('c', socket.asSocket(), 0, nothingStored);
    expect(bus.handlerCount('directline')).toBe(1);
    await hub.close();
    expect(socket.closedWith).toBe(1001);
    expect(bus.handlerCount('directline')).toBe(0);
  });

  it('delivers to its own streams and reports the error when the bus refuses a publication', async () => {
    const refusing: Bus = {
      publish: async () => Promise.reject(new Error('redis down')),
      subscribe: async () => async () => {},
    };
    const onError = vi.fn();
    const hub = new BusStreamHub(refusing, { heartbeatMs: 0, onError });
    await hub.start();
    const socket = new FakeSocket();
    await hub.attach('c', socket.asSocket(), 0, nothingStored);
    hub.publish('c', { type: 'message', text: 'trotzdem' }, 1);
    await eventually(() => socket.frames.length === 1);
    expect(socket.texts()).toEqual(['trotzdem']);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'redis down' }));
    await hub.close();
  });

  it('ignores and reports a malformed message on the bus', async () => {
    const bus = new LocalBus();
    const onError = vi.fn();
    const hub = new BusStreamHub(bus, { heartbeatMs: 0, onError });
    await hub.start();
    const socket = new FakeSocket();
    await hub.attach('c', socket.asSocket(), 0, nothingStored);
    await bus.publish('directline', 'kein json');
    await bus.publish('directline', JSON.stringify({ c: 'c' }));
    expect(socket.frames).toEqual([]);
    expect(onError).toHaveBeenCalledTimes(2);
    await hub.close();
  });
});
