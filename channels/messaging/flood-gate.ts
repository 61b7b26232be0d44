/**
 * Slows down a user who floods the bot: at most `perMinute` answered messages in any 60 seconds.
 * The first message over the limit gets a polite reply; the ones after it are dropped without one
 * (so a flood cannot make the bot flood back) and do not count, so the user is answered again as
 * soon as their answered messages of the last minute are fewer than the limit. In memory per
 * process (`FloodGate`, `MemoryFloodLimiter`); several instances share one count through
 * `RedisFloodLimiter` (channels/cluster), both behind `FloodLimiter`.
 */

/** What to do with one message. */
export type FloodVerdict = 'pass' | 'warn' | 'drop';

/**
 * Decides per message whether the bot answers a user. Asynchronous so that several instances can
 * share the count (`RedisFloodLimiter` in channels/cluster); `MemoryFloodLimiter` is one process's.
 */
export interface FloodLimiter {
  /** Counts a message of `key` (a channel user) and says whether the bot should answer it. */
  check(key: string): Promise<FloodVerdict>;
  /** Forgets what was counted for `keys`: part of a user's "Daten löschen". */
  forget(keys: readonly string[]): Promise<void>;
}

/** Checks between sweeps of users silent for a minute. */
const SWEEP_EVERY = 1000;

export class FloodGate {
  private readonly seen = new Map<string, { times: number[]; warned: boolean }>();
  private checks = 0;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a message of `key` (a channel user) and says whether the bot should answer it. */
  check(key: string): FloodVerdict {
    const now = this.now();
    this.sweep(now);
    const entry = this.seen.get(key) ?? { times: [], warned: false };
    entry.times = entry.times.filter((t) => now - t < 60_000);
    this.seen.set(key, entry);
    if (entry.times.length < this.perMinute) {
      entry.times.push(now);
      entry.warned = false;
      return 'pass';
    }
    if (entry.warned) return 'drop';
    entry.warned = true;
    return 'warn';
  }

  /** Forgets a user's recent messages. */
  forget(key: string): void {
    this.seen.delete(key);
  }

  /** Keeps the map small: now and then, users silent for a minute are forgotten. */
  private sweep(now: number): void {
    this.checks += 1;
    if (this.checks % SWEEP_EVERY !== 0) return;
    for (const [key, entry] of this.seen) {
      if (entry.times.every((t) => now - t >= 60_000)) this.seen.delete(key);
    }
  }
}

/** `FloodGate` behind the `FloodLimiter` interface: the limiter of a single instance. */
export class MemoryFloodLimiter implements FloodLimiter {
  private readonly gate: FloodGate;

  constructor(perMinute: number, now: () => number = Date.now) {
    this.gate = new FloodGate(perMinute, now);
  }

  async check(key: string): Promise<FloodVerdict> {
    return this.gate.check(key);
  }

  async forget(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.gate.forget(key);
  }
}
