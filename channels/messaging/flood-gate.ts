/**
 * Slows down a user who floods the bot: at most `perMinute` messages in any 60 seconds. The first
 * message over the limit gets a polite reply; the rest of that minute is dropped without one, so
 * a flood cannot make the bot flood back. In memory per process; with several instances the limit
 * is per instance (a shared store is issue 8's).
 */

/** What to do with one message. */
export type FloodVerdict = 'pass' | 'warn' | 'drop';

export class FloodGate {
  private readonly seen = new Map<string, { times: number[]; warned: boolean }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a message of `key` (a channel user) and says whether the bot should answer it. */
  check(key: string): FloodVerdict {
    const now = this.now();
    const entry = this.seen.get(key) ?? { times: [], warned: false };
    entry.times = entry.times.filter((t) => now - t < 60_000);
    if (entry.times.length === 0) entry.warned = false;
    entry.times.push(now);
    this.seen.set(key, entry);
    this.forgetIdle(now);
    if (entry.times.length <= this.perMinute) return 'pass';
    if (entry.warned) return 'drop';
    entry.warned = true;
    return 'warn';
  }

  /** Keeps the map small: users silent for a minute are forgotten. */
  private forgetIdle(now: number): void {
    if (this.seen.size < 10_000) return;
    for (const [key, entry] of this.seen) {
      if (entry.times.every((t) => now - t >= 60_000)) this.seen.delete(key);
    }
  }
}
