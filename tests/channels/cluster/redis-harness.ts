/**
 * What the cluster tests share: the real Redis on this machine, a key prefix of their own per test
 * file (so parallel runs and other suites never meet), clean-up of exactly that prefix, a fake
 * WebSocket as the stream hub sees it, and a bounded wait for something that arrives over Redis.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { connectRedis, type RedisConnection } from '../../../channels/cluster/redis.js';
import type { ActivitySet, StreamSocket } from '../../../channels/directline/stream-hub.js';

export const REDIS_URL = process.env.LOTSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh prefix such as `lotse-test-1a2b3c4d5e6f:`. */
export function testPrefix(): string {
  return `lotse-test-${randomBytes(6).toString('hex')}:`;
}

/**
 * Opens connections under one prefix and, on `cleanUp`, closes them and deletes every key of
 * the prefix (never anything else).
 */
export function redisUnderTest(prefix = testPrefix()) {
  const opened: RedisConnection[] = [];
  return {
    prefix,
    async connect(): Promise<RedisConnection> {
      const connection = await connectRedis(REDIS_URL, { keyPrefix: prefix });
      opened.push(connection);
      return connection;
    },
    async cleanUp(): Promise<void> {
      await Promise.all(opened.splice(0).map((connection) => connection.close()));
      const admin = await connectRedis(REDIS_URL, { keyPrefix: '' });
      try {
        let cursor = '0';
        do {
          const [next, keys] = await admin.client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          if (keys.length > 0) await admin.client.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        await admin.close();
      }
    },
  };
}

/** Waits until `condition` holds, checking every few milliseconds, for at most `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A WebSocket as `StreamHub` uses it, recording the frames it was sent. */
export class FakeSocket extends EventEmitter {
  readyState = 1;
  frames: ActivitySet[] = [];
  closedWith: number | undefined;

  send(data: string): void {
    this.frames.push(JSON.parse(data) as ActivitySet);
  }
  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
    this.emit('close');
  }
  terminate(): void {
    this.close(1006);
  }
  ping(): void {}
  asSocket(): StreamSocket {
    return this as unknown as StreamSocket;
  }
  texts(): (string | undefined)[] {
    return this.frames.flatMap((frame) => frame.activities.map((a) => a.text));
  }
}
