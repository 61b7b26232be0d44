/**
 * What changes when Lotse runs as several instances: with Redis, replies reach a Direct Line
 * WebSocket held by another instance, console notices reach every agent, and rate limits (token
 * endpoint, staff logins, messenger floods) are counted once for all. Without Redis the same
 * interfaces are served in process, for one instance.
 */
import type { Redis } from 'ioredis';
import { LocalHandoffEvents, type HandoffEvents } from '../../bot/handoff/events.js';
import { StreamHub } from '../directline/stream-hub.js';
import { KeyedQueue, type TurnQueue } from '../directline/keyed-queue.js';
import { RedisTurnLock } from './redis-turn-lock.js';
import { MemoryFloodLimiter, type FloodLimiter } from '../messaging/flood-gate.js';
import { MemoryLoginLimiter, type LoginLimiter } from '../staff/auth/login-limiter.js';
import { BusStreamHub } from './bus-stream-hub.js';
import { RedisBus } from './bus.js';
import { FailOpenFloodLimiter, RedisFloodLimiter } from './redis-flood-limiter.js';
import { RedisHandoffEvents } from './redis-handoff-events.js';
import { RedisLoginLimiter } from './redis-login-limiter.js';
import { connectRedis } from './redis.js';

/** The shared parts an instance is built with. */
export interface Cluster {
  streams: StreamHub;
  /** One turn at a time per conversation (across instances with Redis). */
  turns: TurnQueue;
  events: HandoffEvents;
  loginLimiter(limits: { attempts: number; windowMs: number }): LoginLimiter;
  floodLimiter(perMinute: number): FloodLimiter;
  /** For @fastify/rate-limit's `redis` option; undefined in process. */
  rateLimitStore: Redis | undefined;
  /** Closes WebSockets (1001, reconnect elsewhere), unsubscribes and disconnects; after whenIdle. */
  close(): Promise<void>;
}

type Log = { warn(o: object, m: string): void };

/** One instance: everything in process. */
export function localCluster(): Cluster {
  const streams = new StreamHub();
  return {
    streams,
    turns: new KeyedQueue(),
    events: new LocalHandoffEvents(),
    loginLimiter: (limits) => new MemoryLoginLimiter(limits),
    floodLimiter: (perMinute) => new MemoryFloodLimiter(perMinute),
    rateLimitStore: undefined,
    close: async () => streams.close(),
  };
}

/**
 * Several instances: connects to Redis (failing fast with LOTSE_REDIS_UNAVAILABLE). Instances
 * that work together share `keyPrefix` (default `lotse:`); another prefix is another cluster.
 */
export async function redisCluster(
  url: string,
  log: Log,
  options: { keyPrefix?: string } = {},
): Promise<Cluster> {
  const redis = await connectRedis(url, {
    ...(options.keyPrefix ? { keyPrefix: options.keyPrefix } : {}),
    onError: (error, connection) =>
      log.warn({ err: (error as Error).name, connection }, 'redis connection error'),
  });
  const bus = new RedisBus(redis, {
    onError: (error, topic) =>
      log.warn({ err: (error as Error).name, topic }, 'bus handler failed'),
  });
  const streams = new BusStreamHub(bus, {
    onError: (error) => log.warn({ err: (error as Error).name }, 'directline bus failed'),
  });
  const events = new RedisHandoffEvents(bus, {
    onError: (error) => log.warn({ err: (error as Error).name }, 'handoff bus failed'),
  });
  await streams.start();
  await events.start();
  return {
    streams,
    turns: new RedisTurnLock(redis.client, { log }),
    events,
    loginLimiter: (limits) => new RedisLoginLimiter(redis.client, limits),
    floodLimiter: (perMinute) =>
      new FailOpenFloodLimiter(new RedisFloodLimiter(redis.client, { perMinute }), log),
    rateLimitStore: redis.client,
    async close() {
      await streams.close();
      await events.close();
      await bus.close();
      await redis.close();
    },
  };
}
