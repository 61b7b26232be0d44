/**
 * Counts wrong passwords per key (`user:<name>`, `ip:<address>`) in a sliding window, so password
 * guessing is slow for one account from many addresses and for many accounts from one address.
 * The interface is asynchronous and narrow so a shared implementation (Redis, for several
 * instances) can replace the in-memory one without touching the login.
 */

export interface LoginLimiter {
  /** Seconds until any of `keys` may try again; 0 when all may. */
  retryAfter(keys: readonly string[], now: Date): Promise<number>;
  /** Records one wrong password for each key. */
  recordFailure(keys: readonly string[], now: Date): Promise<void>;
  /** Forgets a key's failures (a user who logged in successfully). */
  reset(key: string): Promise<void>;
}

export interface LoginLimits {
  /** Wrong passwords allowed per key within the window; the next attempt is refused. */
  attempts: number;
  windowMs: number;
}

/** One process's limiter. Holds at most `maxKeys` keys, dropping expired ones first. */
export class MemoryLoginLimiter implements LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: LoginLimits,
    private readonly maxKeys = 100_000,
  ) {}

  async retryAfter(keys: readonly string[], now: Date): Promise<number> {
    let wait = 0;
    for (const key of keys) {
      const recent = this.recent(key, now.getTime());
      if (recent.length >= this.limits.attempts) {
        const oldest = recent[recent.length - this.limits.attempts]!;
        wait = Math.max(wait, Math.ceil((oldest + this.limits.windowMs - now.getTime()) / 1000));
      }
    }
    return wait;
  }

  async recordFailure(keys: readonly string[], now: Date): Promise<void> {
    for (const key of keys) {
      const recent = this.recent(key, now.getTime());
      recent.push(now.getTime());
      // Only the last `attempts` failures decide; older ones need not be kept.
      this.failures.delete(key);
      this.failures.set(key, recent.slice(-this.limits.attempts));
    }
    if (this.failures.size > this.maxKeys) this.evict(now.getTime());
  }

  async reset(key: string): Promise<void> {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.limits.windowMs);
  }

  private evict(now: number): void {
    for (const [key, times] of this.failures) {
      if (times.every((t) => t <= now - this.limits.windowMs)) this.failures.delete(key);
    }
    // Still too many: drop the least recently failed (Map keeps insertion order).
    for (const key of this.failures.keys()) {
      if (this.failures.size <= this.maxKeys) break;
      this.failures.delete(key);
    }
  }
}

/**
 * Runs tasks one after another per key, so a burst of parallel attempts for one account or from
 * one address is checked against the limiter one at a time instead of all before the first
 * failure is counted.
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    // A fixed order of acquisition keeps two requests from waiting on each other.
    const sorted = [...new Set(keys)].sort();
    const release: (() => void)[] = [];
    try {
      for (const key of sorted) {
        const previous = this.tails.get(key) ?? Promise.resolve();
        let done!: () => void;
        const mine = new Promise<void>((resolve) => (done = resolve));
        const tail = previous.then(() => mine);
        this.tails.set(key, tail);
        release.push(() => {
          done();
          if (this.tails.get(key) === tail) this.tails.delete(key);
        });
        await previous;
      }
      return await task();
    } finally {
      for (const free of release) free();
    }
  }
}
