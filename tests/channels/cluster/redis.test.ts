/** Connecting to Redis: two ready connections under one prefix, or a clear error at once. */
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ClusterError } from '../../../channels/cluster/errors.js';
import { connectRedis } from '../../../channels/cluster/redis.js';
import { REDIS_URL, redisUnderTest } from './redis-harness.js';

const redis = redisUnderTest();
afterAll(() => redis.cleanUp());

/** A port on which nothing listens (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('connectRedis', () => {
  it('opens a command and a subscriber connection, both ready, with the key prefix applied', async () => {
    const connection = await redis.connect();
    expect([connection.client.status, connection.subscriber.status]).toEqual(['ready', 'ready']);
    expect(connection.keyPrefix).toBe(redis.prefix);
    await connection.client.set('greeting', 'moin');

    const plain = await connectRedis(REDIS_URL, { keyPrefix: '' });
    expect(await plain.client.get(`${redis.prefix}greeting`)).toBe('moin');
    await plain.close();
  });

  it('closes both connections, and closing twice is harmless', async () => {
    const connection = await connectRedis(REDIS_URL, { keyPrefix: redis.prefix });
    await connection.close();
    await connection.close();
    expect([connection.client.status, connection.subscriber.status]).toEqual(['end', 'end']);
  });

  it('fails at once with LOTSE_REDIS_UNAVAILABLE naming the server but not the password', async () => {
    const port = await closedPort();
    const started = Date.now();
    const error = await connectRedis(`redis://:geheim@127.0.0.1:${port}/0`).catch((e) => e);

    expect(error).toBeInstanceOf(ClusterError);
    expect(error.code).toBe('LOTSE_REDIS_UNAVAILABLE');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).not.toContain('geheim');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
