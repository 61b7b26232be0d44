/**
 * The shared login limiter: the cases of the in-memory limiter, with failures recorded through
 * one instance and checked through another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisLoginLimiter } from '../../../channels/cluster/redis-login-limiter.js';
import type { LoginLimits } from '../../../channels/staff/auth/login-limiter.js';
import { redisUnderTest } from './redis-harness.js';

const redis = redisUnderTest();
let connections: Awaited<ReturnType<typeof redis.connect>>[] = [];
beforeAll(async () => {
  connections = [await redis.connect(), await redis.connect()];
});
afterAll(() => redis.cleanUp());

const at = (seconds: number) => new Date(Date.UTC(2026, 2, 2, 8, 0, seconds));
let run = 0;

/** Two instances' limiters on their own connections, on keys no other test uses. */
function twoLimiters(limits: LoginLimits) {
  run += 1;
  const [a, b] = connections.map((c) => new RedisLoginLimiter(c.client, limits));
  const key = (name: string) => `${name}#${run}`;
  return { a: a!, b: b!, key };
}

describe('the Redis login limiter', () => {
  it('shares failures between instances and says how long to wait, in a sliding window', async () => {
    const { a, b, key } = twoLimiters({ attempts: 3, windowMs: 60_000 });
    await a.recordFailure([key('user:anna')], at(0));
    await b.recordFailure([key('user:anna')], at(10));
    expect(await a.retryAfter([key('user:anna')], at(11))).toBe(0);
    await a.recordFailure([key('user:anna')], at(20));
    expect(await b.retryAfter([key('user:anna')], at(21))).toBe(39);
    expect(await b.retryAfter([key('user:anna')], at(60))).toBe(0);
    expect(await b.retryAfter([key('user:emil')], at(21))).toBe(0);
  });

  it('reports the longest wait of several keys and forgets a key on reset', async () => {
    const { a, b, key } = twoLimiters({ attempts: 1, windowMs: 60_000 });
    await a.recordFailure([key('user:anna'), key('ip:a')], at(0));
    await b.recordFailure([key('ip:b')], at(30));
    expect(await a.retryAfter([key('user:anna'), key('ip:b')], at(30))).toBe(60);
    await b.reset(key('user:anna'));
    expect(await a.retryAfter([key('user:anna')], at(30))).toBe(0);
    expect(await a.retryAfter([key('ip:a')], at(30))).toBe(30);
  });

  it('keeps only the last failures per key, each with an expiry', async () => {
    const { a, key } = twoLimiters({ attempts: 2, windowMs: 60_000 });
    for (let s = 0; s < 10; s++) await a.recordFailure([key('ip:x')], at(s));
    // The 9th and 10th failure decide: the 9th leaves the window at 68 s.
    expect(await a.retryAfter([key('ip:x')], at(10))).toBe(58);
    const client = connections[0]!.client;
    expect(await client.zcard(`login:${key('ip:x')}`)).toBe(2);
    const ttl = await client.pttl(`login:${key('ip:x')}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('counts two failures in the same millisecond as two', async () => {
    const { a, b, key } = twoLimiters({ attempts: 2, windowMs: 60_000 });
    await Promise.all([
      a.recordFailure([key('user:anna')], at(5)),
      b.recordFailure([key('user:anna')], at(5)),
    ]);
    expect(await a.retryAfter([key('user:anna')], at(5))).toBe(60);
  });
});
