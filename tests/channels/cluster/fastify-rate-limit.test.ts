/**
 * @fastify/rate-limit with the ioredis 6 client of `connectRedis`: two instances (two fastify apps,
 * each with its own connection) share one limit, as the web chat token route needs.
 */
import Fastify from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { afterAll, describe, expect, it } from 'vitest';
import type { RedisConnection } from '../../../channels/cluster/redis.js';
import { redisUnderTest } from './redis-harness.js';

const redis = redisUnderTest();
afterAll(() => redis.cleanUp());

async function instance(connection: RedisConnection) {
  const app = Fastify();
  await app.register(async (scope) => {
    await scope.register(rateLimit, {
      max: 3,
      timeWindow: 60_000,
      redis: connection.client,
      nameSpace: 'rate-limit:webchat-token:',
    });
    scope.post('/api/webchat/token', async () => ({ token: 't' }));
  });
  await app.ready();
  return app;
}

describe('@fastify/rate-limit on the shared Redis', () => {
  it('counts requests to two instances against one limit', async () => {
    const a = await instance(await redis.connect());
    const b = await instance(await redis.connect());
    const post = (app: typeof a) => app.inject({ method: 'POST', url: '/api/webchat/token' });

    const statuses = [];
    for (const app of [a, b, a, b]) statuses.push((await post(app)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await post(a);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    const keys = await (await redis.connect()).client.keys(`${redis.prefix}rate-limit:*`);
    expect(keys).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });
});
