/**
 * The Direct Line stream hub of an instance among several: `publish` goes over the bus to every
 * instance, and what arrives from the bus goes to this instance's WebSockets by the ordinary
 * `StreamHub` delivery (replay, per-socket buffer, watermarks). So a reply produced on instance B
 * reaches the stream a browser holds on instance A. Every publication, this instance's own
 * included, takes the bus, so all instances see one conversation's activities in one order.
 *
 * Two instances may append to one conversation at once (a proactive status update on A while a
 * turn runs on B) and publish out of watermark order; the hub therefore fills gaps from the
 * transcript (`fillGaps`), which the watermarks, handed out one by one by the store, make exact.
 */
import type { Activity } from 'botbuilder';
import { StreamHub, type StreamHubOptions } from '../directline/stream-hub.js';
import type { Bus } from './bus.js';

/** The bus topic of Direct Line activities. */
export const DIRECT_LINE_TOPIC = 'directline';

export interface BusStreamHubOptions extends StreamHubOptions {
  /** The bus topic. Default `directline` (the Redis channel is the key prefix plus it). */
  topic?: string;
  /**
   * Hears a publication that could not be sent over the bus (it is then delivered to this
   * instance's streams only) or a malformed message from the bus. Default: ignored.
   */
  onError?: (error: unknown) => void;
}

/** What travels on the bus: conversation, activity, watermark (absent for typing). */
interface Envelope {
  c: string;
  a: Partial<Activity>;
  w?: number;
}

export class BusStreamHub extends StreamHub {
  private readonly topic: string;
  private readonly onError: (error: unknown) => void;
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(
    private readonly bus: Bus,
    options: BusStreamHubOptions = {},
  ) {
    super({ ...options, fillGaps: options.fillGaps ?? true });
    this.topic = options.topic ?? DIRECT_LINE_TOPIC;
    this.onError = options.onError ?? (() => {});
  }

  /** Subscribes to the bus; call before the server accepts streams. Calling it twice is harmless. */
  async start(): Promise<void> {
    if (this.unsubscribe) return;
    this.unsubscribe = await this.bus.subscribe(this.topic, (message) => this.receive(message));
  }

  /**
   * Sends an activity to every stream of its conversation on every instance. Synchronous like
   * `StreamHub.publish` (the adapter's append queue calls it in watermark order and the bus keeps
   * that order); should the bus refuse, this instance's own streams still get it.
   */
  override publish(conversationId: string, activity: Partial<Activity>, watermark?: number): void {
    const envelope: Envelope = { c: conversationId, a: activity, w: watermark };
    this.bus.publish(this.topic, JSON.stringify(envelope)).catch((error: unknown) => {
      this.onError(error);
      super.publish(conversationId, activity, watermark);
    });
  }

  /**
   * Closes this instance's streams with 1001 (as `StreamHub.close`) and leaves the bus. Returns a
   * promise for callers that want to wait for the unsubscribe; it never rejects.
   */
  override async close(): Promise<void> {
    super.close();
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = undefined;
    try {
      await unsubscribe?.();
    } catch (error) {
      this.onError(error);
    }
  }

  private receive(message: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch (error) {
      this.onError(error);
      return;
    }
    if (typeof envelope?.c !== 'string' || typeof envelope.a !== 'object' || !envelope.a) {
      this.onError(new Error('directline bus: a message without conversation or activity'));
      return;
    }
    super.publish(envelope.c, envelope.a, typeof envelope.w === 'number' ? envelope.w : undefined);
  }
}
