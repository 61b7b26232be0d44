/**
 * Slows down a user who floods the bot: at most `perMinute` answered messages in any 60 seconds.
 * The first message over the limit gets a polite reply; the ones after it are dropped without one
 * (so a flood cannot make the bot flood back) and do not count, so the user is answered again as
 * soon as their answered messages of the last minute are fewer than the limit. In memory per
 * process; with several instances the limit is per instance (a shared store is issue 8's).
 */

/** What to do with one message. */
export type FloodVerdict = 'pass' | 'warn' | 'drop';

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

  /** Keeps the map small: now and then, users silent for a minute are forgotten. */
  private sweep(now: number): void {
    this.checks += 1;
    if (this.checks % SWEEP_EVERY !== 0) return;
    for (const [key, entry] of this.seen) {
      if (entry.times.every((t) => now - t >= 60_000)) this.seen.delete(key);
    }
  }
}
