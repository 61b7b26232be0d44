/**
 * The messenger flood limit shared by every instance: per user and fixed minute, a counter in
 * Redis (`flood:<key>:<minute>`). Up to `perMinute` messages pass, the next one gets the polite
 * "slow down" reply, the rest are dropped. Unlike the in-memory `FloodGate` (a sliding window that
 * does not count dropped messages) a flood is forgiven when the minute turns, which is what one
 * INCR per message can decide without a read-modify-write across instances.
 */
import type { Redis } from 'ioredis';
import type { FloodLimiter, FloodVerdict } from '../messaging/flood-gate.js';

const WINDOW_MS = 60_000;

export interface RedisFloodLimiterOptions {
  /** Messages answered per user and minute (the config's messenger `perMinute`). */
  perMinute: number;
  /** Clock in milliseconds since the epoch, which decides the minute. Default `Date.now`. */
  now?: () => number;
}

export class RedisFloodLimiter implements FloodLimiter {
  private readonly perMinute: number;
  private readonly now: () => number;

  /** `redis` is the command connection (`RedisConnection.client`); its key prefix applies. */
  constructor(
    private readonly redis: Redis,
    options: RedisFloodLimiterOptions,
  ) {
    this.perMinute = options.perMinute;
    this.now = options.now ?? Date.now;
  }

  async check(key: string): Promise<FloodVerdict> {
    const now = this.now();
    const window = Math.floor(now / WINDOW_MS);
    // Kept a minute past the end of its window, so an instance whose clock lags a little still
    // counts into it, and `forget` knows that only this window and the previous one can exist.
    const ttl = (window + 2) * WINDOW_MS - now;
    const counter = floodKey(key, window);
    const results = await this.redis.multi().incr(counter).pexpire(counter, ttl).exec();
    const [error, count] = results?.[0] ?? [new Error('redis flood limiter: MULTI was aborted')];
    if (error) throw error;
    if (Number(count) <= this.perMinute) return 'pass';
    return Number(count) === this.perMinute + 1 ? 'warn' : 'drop';
  }

  async forget(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const window = Math.floor(this.now() / WINDOW_MS);
    await this.redis.del(
      ...keys.flatMap((key) => [floodKey(key, window), floodKey(key, window - 1)]),
    );
  }
}

function floodKey(key: string, window: number): string {
  return `flood:${key}:${window}`;
}

/**
 * A flood limiter that lets messages through when its store fails: a Redis hiccup must not
 * silence citizens (their delivery is already claimed, a retry would count as a duplicate).
 * Failures are logged by name; `forget` failures too (erasure of the database already happened).
 */
export class FailOpenFloodLimiter implements FloodLimiter {
  constructor(
    private readonly inner: FloodLimiter,
    private readonly log: { warn(o: object, m: string): void },
  ) {}

  async check(key: string): Promise<FloodVerdict> {
    try {
      return await this.inner.check(key);
    } catch (error) {
      this.log.warn({ err: (error as Error).name }, 'flood limiter unavailable; message passes');
      return 'pass';
    }
  }

  async forget(keys: readonly string[]): Promise<void> {
    try {
      await this.inner.forget(keys);
    } catch (error) {
      this.log.warn({ err: (error as Error).name }, 'flood counters could not be forgotten');
    }
  }
}
