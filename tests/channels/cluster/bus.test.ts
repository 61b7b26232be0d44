/** The bus: messages reach every subscriber of their topic, in order, across Redis connections. */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LocalBus, RedisBus } from '../../../channels/cluster/bus.js';
import { eventually, redisUnderTest } from './redis-harness.js';

const redis = redisUnderTest();
afterAll(() => redis.cleanUp());

describe('LocalBus', () => {
  it('delivers to the subscribers of the topic only, until they unsubscribe', async () => {
    const bus = new LocalBus();
    const heard: string[] = [];
    const stop = await bus.subscribe('a', (m) => heard.push(`a1:${m}`));
    await bus.subscribe('a', (m) => heard.push(`a2:${m}`));
    await bus.subscribe('b', (m) => heard.push(`b:${m}`));
    await bus.publish('a', 'eins');
    await stop();
    await bus.publish('a', 'zwei');
    expect(heard).toEqual(['a1:eins', 'a2:eins', 'a2:zwei']);
    expect(bus.handlerCount('a')).toBe(1);
  });

  it('reports a handler that throws and still calls the others', async () => {
    const onError = vi.fn();
    const bus = new LocalBus({ onError });
    const heard: string[] = [];
    await bus.subscribe('a', () => {
      throw new Error('kaputt');
    });
    await bus.subscribe('a', (m) => heard.push(m));
    await bus.publish('a', 'x');
    expect(heard).toEqual(['x']);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'kaputt' }), 'a');
  });
});

describe('RedisBus', () => {
  it('carries 100 messages from one connection to another in the order they were published', async () => {
    const a = new RedisBus(await redis.connect());
    const b = new RedisBus(await redis.connect());
    const heard: string[] = [];
    await a.subscribe('order', (m) => heard.push(m));
    const sent = Array.from({ length: 100 }, (_, i) => JSON.stringify({ n: i }));
    await Promise.all(sent.map((m) => b.publish('order', m)));
    await eventually(() => heard.length === 100);
    expect(heard).toEqual(sent);
    await a.close();
    await b.close();
  });

  it('delivers to the publishing instance too, and to several handlers of one topic', async () => {
    const bus = new RedisBus(await redis.connect());
    const heard: string[] = [];
    await bus.subscribe('self', (m) => heard.push(`1:${m}`));
    await bus.subscribe('self', (m) => heard.push(`2:${m}`));
    await bus.publish('self', 'hallo');
    await eventually(() => heard.length === 2);
    expect(heard).toEqual(['1:hallo', '2:hallo']);
    await bus.close();
  });

  it('stops delivering a topic after its last handler unsubscribed', async () => {
    const a = new RedisBus(await redis.connect());
    const b = new RedisBus(await redis.connect());
    const left: string[] = [];
    const stayed: string[] = [];
    const stop = await a.subscribe('left', (m) => left.push(m));
    await a.subscribe('stayed', (m) => stayed.push(m));
    await b.publish('left', 'vorher');
    await eventually(() => left.length === 1);
    await stop();
    expect(a.handlerCount('left')).toBe(0);
    await b.publish('left', 'nachher');
    await b.publish('stayed', 'marker');
    // Redis delivers in publish order, so once the marker is here "nachher" would have been too.
    await eventually(() => stayed.length === 1);
    expect(left).toEqual(['vorher']);
    await a.close();
    await b.close();
  });

  it('hears the topic again after its subscriber connection was dropped and reconnected', async () => {
    const listening = await redis.connect();
    const id = await listening.subscriber.client('ID');
    const a = new RedisBus(listening);
    const b = new RedisBus(await redis.connect());
    const heard: string[] = [];
    await a.subscribe('wieder', (m) => heard.push(m));
    await b.publish('wieder', 'vorher');
    await eventually(() => heard.length === 1);

    const reconnected = new Promise((resolve) => listening.subscriber.once('ready', resolve));
    await listening.client.client('KILL', 'ID', String(id));
    await reconnected;
    // The re-subscription is sent right after `ready`; publish until it has taken effect.
    let n = 0;
    await eventually(() => {
      void b.publish('wieder', `nachher ${++n}`);
      return heard.length > 1;
    });
    expect(heard[1]).toMatch(/^nachher \d+$/);
    await a.close();
    await b.close();
  });

  it('keeps deployments with different prefixes apart', async () => {
    const other = redisUnderTest();
    try {
      const mine = new RedisBus(await redis.connect());
      const theirs = new RedisBus(await other.connect());
      const heardByTheirs: string[] = [];
      const heardByMine: string[] = [];
      await theirs.subscribe('t', (m) => heardByTheirs.push(m));
      await mine.subscribe('t', (m) => heardByMine.push(m));
      await mine.publish('t', 'nur für mich');
      await theirs.publish('t', 'nur für die anderen');
      await eventually(() => heardByMine.length === 1 && heardByTheirs.length === 1);
      expect(heardByMine).toEqual(['nur für mich']);
      expect(heardByTheirs).toEqual(['nur für die anderen']);
      await mine.close();
      await theirs.close();
    } finally {
      await other.cleanUp();
    }
  });
});
