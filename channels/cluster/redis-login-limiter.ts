/**
 * The staff login limiter shared by every instance, so guessing passwords against the load
 * balancer is no faster than against one instance. Same semantics as `MemoryLoginLimiter`: per
 * key, a sliding window holding the times of the last `attempts` failures (a sorted set scored by
 * the caller's clock, trimmed and given a TTL in one MULTI), so a key may try again once the
 * oldest of them leaves the window. A plain INCR counter would start its window at the first
 * failure and ignore the `now` the login passes in; the sorted set keeps both limiters alike.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { LoginLimiter, LoginLimits } from '../staff/auth/login-limiter.js';

export class RedisLoginLimiter implements LoginLimiter {
  /** `redis` is the command connection (`RedisConnection.client`); its key prefix applies. */
  constructor(
    private readonly redis: Redis,
    private readonly limits: LoginLimits,
  ) {}

  async retryAfter(keys: readonly string[], now: Date): Promise<number> {
    if (keys.length === 0) return 0;
    const at = now.getTime();
    const pipeline = this.redis.pipeline();
    for (const key of keys) {
      pipeline.zrangebyscore(loginKey(key), `(${at - this.limits.windowMs}`, '+inf', 'WITHSCORES');
    }
    let wait = 0;
    for (const [error, reply] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      const times = (reply as string[]).filter((_, i) => i % 2 === 1).map(Number);
      if (times.length >= this.limits.attempts) {
        const oldest = times[times.length - this.limits.attempts]!;
        wait = Math.max(wait, Math.ceil((oldest + this.limits.windowMs - at) / 1000));
      }
    }
    return wait;
  }

  async recordFailure(keys: readonly string[], now: Date): Promise<void> {
    if (keys.length === 0) return;
    const at = now.getTime();
    const transaction = this.redis.multi();
    for (const key of keys) {
      const set = loginKey(key);
      // The member only has to be unique; the score is what counts.
      transaction
        .zadd(set, at, `${at}:${randomBytes(6).toString('hex')}`)
        .zremrangebyscore(set, '-inf', at - this.limits.windowMs)
        // Only the last `attempts` failures decide; older ones need not be kept.
        .zremrangebyrank(set, 0, -(this.limits.attempts + 1))
        .pexpire(set, this.limits.windowMs);
    }
    const results = await transaction.exec();
    if (!results) throw new Error('redis login limiter: MULTI was aborted');
    for (const [error] of results) if (error) throw error;
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(loginKey(key));
  }
}

function loginKey(key: string): string {
  return `login:${key}`;
}
