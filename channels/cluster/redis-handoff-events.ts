/**
 * The staff console's live notices across instances: `HandoffEvents` carried by the bus, so the
 * console of an agent on instance A hears a citizen whose turn ran on instance B. Every notice,
 * this instance's own included, takes the bus and comes back to the local listeners, so all
 * consoles see notices in one order. Notices are plain JSON (their times are ISO strings already,
 * nothing to revive).
 */
import type { HandoffEvents, HandoffNotice } from '../../bot/handoff/events.js';
import type { Bus } from './bus.js';

/** The bus topic of console notices. */
export const HANDOFF_TOPIC = 'handoff';

const NOTICE_TYPES = new Set<string>([
  'handoff-updated',
  'handoff-message',
  'presence-changed',
  'staff-signed-out',
] satisfies HandoffNotice['type'][]);

export interface RedisHandoffEventsOptions {
  /** The bus topic. Default `handoff`. */
  topic?: string;
  /**
   * Hears a notice the bus refused (it then reaches this instance's listeners only), a malformed
   * message, or a listener that threw. Default: ignored.
   */
  onError?: (error: unknown) => void;
}

/** `HandoffEvents` over a `Bus` (a `RedisBus` with several instances). Call `start()` first. */
export class RedisHandoffEvents implements HandoffEvents {
  private readonly listeners = new Set<(notice: HandoffNotice) => void>();
  private readonly topic: string;
  private readonly onError: (error: unknown) => void;
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(
    private readonly bus: Bus,
    options: RedisHandoffEventsOptions = {},
  ) {
    this.topic = options.topic ?? HANDOFF_TOPIC;
    this.onError = options.onError ?? (() => {});
  }

  /** Subscribes to the bus; call before consoles connect. Calling it twice is harmless. */
  async start(): Promise<void> {
    if (this.unsubscribe) return;
    this.unsubscribe = await this.bus.subscribe(this.topic, (message) => this.receive(message));
  }

  /** Leaves the bus; local listeners stay registered but hear nothing more. Never rejects. */
  async close(): Promise<void> {
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = undefined;
    try {
      await unsubscribe?.();
    } catch (error) {
      this.onError(error);
    }
  }

  /**
   * Sends a notice to every instance's listeners. Never rejects: a notice only tells consoles to
   * refresh, and the change it announces is already stored, so a Redis hiccup must not fail it.
   */
  async publish(notice: HandoffNotice): Promise<void> {
    try {
      await this.bus.publish(this.topic, JSON.stringify(notice));
    } catch (error) {
      this.onError(error);
      this.dispatch(notice);
    }
  }

  subscribe(listener: (notice: HandoffNotice) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private receive(message: string): void {
    let notice: HandoffNotice;
    try {
      notice = JSON.parse(message) as HandoffNotice;
    } catch (error) {
      this.onError(error);
      return;
    }
    if (!NOTICE_TYPES.has((notice as { type?: unknown })?.type as string)) {
      this.onError(new Error('handoff bus: a message that is no handoff notice'));
      return;
    }
    this.dispatch(notice);
  }

  private dispatch(notice: HandoffNotice): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(notice);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
