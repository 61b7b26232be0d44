/** The shared messenger flood limit, and the in-memory gate behind the same interface. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisFloodLimiter } from '../../../channels/cluster/redis-flood-limiter.js';
import { MemoryFloodLimiter } from '../../../channels/messaging/flood-gate.js';
import { redisUnderTest } from './redis-harness.js';

const redis = redisUnderTest();
let clients: Awaited<ReturnType<typeof redis.connect>>['client'][] = [];
beforeAll(async () => {
  clients = [(await redis.connect()).client, (await redis.connect()).client];
});
afterAll(() => redis.cleanUp());

/** Two instances' limiters sharing one clock, which starts at the beginning of a minute. */
function twoLimiters(perMinute: number) {
  const clock = { now: 1_000 * 60_000 };
  const [a, b] = clients.map(
    (client) => new RedisFloodLimiter(client, { perMinute, now: () => clock.now }),
  );
  return { a: a!, b: b!, clock };
}

describe('RedisFloodLimiter', () => {
  it('passes the limit across instances, warns once, drops the rest, and forgives the next minute', async () => {
    const { a, b, clock } = twoLimiters(3);
    const verdicts = [];
    for (let i = 0; i < 6; i++) verdicts.push(await (i % 2 === 0 ? a : b).check('telegram:u1'));
    expect(verdicts).toEqual(['pass', 'pass', 'pass', 'warn', 'drop', 'drop']);
    expect(await b.check('telegram:u2')).toBe('pass');
    clock.now += 59_999;
    expect(await a.check('telegram:u1')).toBe('drop');
    clock.now += 1;
    expect(await a.check('telegram:u1')).toBe('pass');
  });

  it('forgets a user’s counts on "Daten löschen", and only theirs', async () => {
    const { a, b } = twoLimiters(1);
    await a.check('matrix:u1');
    await a.check('matrix:u2');
    expect(await b.check('matrix:u1')).toBe('warn');
    await b.forget(['matrix:u1']);
    expect(await a.check('matrix:u1')).toBe('pass');
    expect(await a.check('matrix:u2')).toBe('warn');
  });

  it('lets its counters expire a minute after their minute ends', async () => {
    const { a, clock } = twoLimiters(3);
    clock.now += 15_000;
    await a.check('whatsapp:u1');
    const ttl = await clients[0]!.pttl(`flood:whatsapp:u1:${Math.floor(clock.now / 60_000)}`);
    expect(ttl).toBeGreaterThan(100_000);
    expect(ttl).toBeLessThanOrEqual(105_000);
  });
});

describe('MemoryFloodLimiter', () => {
  it('gives the verdicts of the in-memory gate and forgets users', async () => {
    const now = 0;
    const limiter = new MemoryFloodLimiter(2, () => now);
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push(await limiter.check('u1'));
    expect(verdicts).toEqual(['pass', 'pass', 'warn', 'drop']);
    await limiter.forget(['u1']);
    expect(await limiter.check('u1')).toBe('pass');
  });
});
