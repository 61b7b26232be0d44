/**
 * The Redis connections of one instance: a `client` for commands (publish, counters) and a
 * separate `subscriber`, because a connection that subscribes can run nothing else. Start-up
 * fails fast with `LOTSE_REDIS_UNAVAILABLE` when Redis cannot be reached, so a misconfigured
 * instance never joins the load balancer half-working; once up, ioredis reconnects on its own and
 * a command waits for at most a couple of reconnection attempts instead of hanging a turn.
 */
import { Redis } from 'ioredis';
import { maskDatabaseUrl } from '../../storage/errors.js';
import { ClusterError } from './errors.js';

/** How to connect; every field has a default fit for a production instance. */
export interface RedisConnectOptions {
  /**
   * Put before every key and every bus channel, so several deployments (or test runs) can share
   * one Redis. Default `lotse:`.
   */
  keyPrefix?: string;
  /** How long (ms) start-up waits for each connection to become ready. Default 5000. */
  connectTimeoutMs?: number;
  /**
   * Hears connection errors after start-up (Redis restarted, network gone); ioredis keeps
   * reconnecting meanwhile. Without it such errors are ignored rather than printed by ioredis.
   */
  onError?: (error: Error, connection: 'client' | 'subscriber') => void;
}

/** The two connections of one instance and the prefix they use. */
export interface RedisConnection {
  /** For commands: PUBLISH, counters, the rate-limit plugin's script. */
  readonly client: Redis;
  /** In subscriber mode once something subscribes; used by `RedisBus` only. */
  readonly subscriber: Redis;
  readonly keyPrefix: string;
  /** Closes both connections, waiting for replies still due; safe to call twice. */
  close(): Promise<void>;
}

/** Reconnection attempts a command waits through before it fails (ioredis' default is 20). */
const MAX_RETRIES_PER_REQUEST = 2;

/**
 * Opens the client and the subscriber connection to `url` (`redis://[:password@]host:port/db`
 * or `rediss://`) and resolves once both are ready. Rejects with `LOTSE_REDIS_UNAVAILABLE`, and
 * leaves nothing open, when either cannot connect.
 */
export async function connectRedis(
  url: string,
  options: RedisConnectOptions = {},
): Promise<RedisConnection> {
  const keyPrefix = options.keyPrefix ?? 'lotse:';
  const connectTimeout = options.connectTimeoutMs ?? 5000;
  let started = false;
  const open = (role: 'client' | 'subscriber') => {
    const redis = new Redis(url, {
      keyPrefix,
      connectTimeout,
      maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
      lazyConnect: false,
      connectionName: `lotse-${role}`,
    });
    // Always listened to, so ioredis never prints an "unhandled error event" of its own.
    redis.on('error', (error: Error) => {
      if (started) options.onError?.(error, role);
    });
    return redis;
  };
  const client = open('client');
  const subscriber = open('subscriber');
  try {
    await Promise.all([whenReady(client, connectTimeout), whenReady(subscriber, connectTimeout)]);
  } catch (error) {
    client.disconnect();
    subscriber.disconnect();
    const reason = error instanceof Error ? error.message : String(error);
    throw new ClusterError(
      'LOTSE_REDIS_UNAVAILABLE',
      `redis: cannot connect to ${maskDatabaseUrl(url)}: ${reason}`,
      { cause: error },
    );
  }
  started = true;
  let closing: Promise<void> | undefined;
  return {
    client,
    subscriber,
    keyPrefix,
    close: () => (closing ??= Promise.all([quit(client), quit(subscriber)]).then(() => undefined)),
  };
}

/** Resolves on `ready`; rejects on the first error, on `end`, or after `timeoutMs`. */
function whenReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => settle(new Error(`not ready after ${timeoutMs} ms`)),
      timeoutMs + 1000,
    );
    const onReady = () => settle();
    const onError = (error: Error) => settle(error);
    const onEnd = () => settle(new Error('connection closed'));
    function settle(error?: Error): void {
      clearTimeout(timer);
      redis.off('ready', onReady).off('error', onError).off('end', onEnd);
      if (error) reject(error);
      else resolve();
    }
    redis.once('ready', onReady).once('error', onError).once('end', onEnd);
  });
}

/**
 * QUIT waits for pending replies, then for the socket to be closed (`end`), so nothing of the
 * connection outlives `close()`; a connection that is not up is just dropped.
 */
async function quit(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const ended = new Promise<void>((resolve) => {
    redis.once('end', resolve);
    // Should the socket never report its end, drop it rather than hang the shutdown.
    timer = setTimeout(() => {
      redis.disconnect();
      resolve();
    }, 2000);
  });
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
  await ended;
  clearTimeout(timer);
}
