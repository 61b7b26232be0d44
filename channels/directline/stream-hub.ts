/**
 * The live side of Direct Line: the WebSocket streams of each conversation. A stream first gets
 * the stored activities after the watermark it asked for (so nothing is lost between a reload and
 * the reconnect), then every new activity as it is appended. Frames are ActivitySets
 * `{ activities, watermark }` as JSON text, exactly what botframework-directlinejs parses.
 *
 * Activities published while a stream is still replaying wait in a per-socket buffer and are sent
 * after the replay unless the replay already contained them (compared by watermark), so a client
 * sees every activity once and in order.
 */
import type { Activity } from 'botbuilder';
import type { WebSocket } from 'ws';
import type { TranscriptPage } from './transcript-pages.js';

/** The part of a `ws` socket the hub uses; tests substitute a fake. */
export type StreamSocket = Pick<
  WebSocket,
  'readyState' | 'send' | 'close' | 'terminate' | 'ping' | 'on'
>;

/** A frame on the stream; `watermark` is absent for activities that are not stored (typing). */
export interface ActivitySet {
  activities: Partial<Activity>[];
  watermark?: string;
}

/** Tuning of the hub; the default suits browsers behind ordinary proxies. */
export interface StreamHubOptions {
  /**
   * How often (ms) sockets are pinged; a socket that did not answer since the last ping is
   * dropped, so dead mobile connections do not pile up. Default 30 000; 0 turns it off.
   */
  heartbeatMs?: number;
}

interface Subscriber {
  socket: StreamSocket;
  /** Highest watermark sent; stored activities at or below it are never sent again. */
  lastSent: number;
  /** Activities published during the replay, or null once the socket is live. */
  pending: { activity: Partial<Activity>; watermark?: number }[] | null;
  alive: boolean;
}

const OPEN = 1;
/** Close codes: 1001 going away (shutdown), 1011 server error (replay failed). */
const GOING_AWAY = 1001;
const SERVER_ERROR = 1011;

/** Per-conversation WebSocket subscribers of one process. */
export class StreamHub {
  private readonly conversations = new Map<string, Set<Subscriber>>();
  private readonly heartbeatMs: number;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(options: StreamHubOptions = {}) {
    this.heartbeatMs = options.heartbeatMs ?? 30_000;
  }

  /**
   * Subscribes `socket` to a conversation and replays the stored activities after `watermark`
   * with `replay` (called page by page until a page is empty). Resolves when the socket is live.
   */
  async attach(
    conversationId: string,
    socket: StreamSocket,
    watermark: number,
    replay: (after: number) => Promise<TranscriptPage>,
  ): Promise<void> {
    const subscriber: Subscriber = { socket, lastSent: watermark, pending: [], alive: true };
    let closed = false;
    this.add(conversationId, subscriber);
    socket.on('close', () => {
      closed = true;
      this.remove(conversationId, subscriber);
    });
    // Direct Line clients send empty frames as keep-alives; nothing a client sends is an activity.
    socket.on('message', () => {
      subscriber.alive = true;
    });
    socket.on('pong', () => {
      subscriber.alive = true;
    });
    socket.on('error', () => socket.terminate());
    try {
      for (;;) {
        const page = await replay(subscriber.lastSent);
        if (closed || page.activities.length === 0 || page.watermark <= subscriber.lastSent) break;
        send(socket, { activities: page.activities, watermark: String(page.watermark) });
        subscriber.lastSent = page.watermark;
      }
    } catch {
      socket.close(SERVER_ERROR, 'replay failed');
      this.remove(conversationId, subscriber);
      return;
    }
    const pending = subscriber.pending ?? [];
    subscriber.pending = null;
    for (const item of pending) deliver(subscriber, item.activity, item.watermark);
  }

  /**
   * Sends an activity to every stream of its conversation. Stored activities carry their
   * watermark; callers publish them in watermark order (the adapter's queue sees to that).
   */
  publish(conversationId: string, activity: Partial<Activity>, watermark?: number): void {
    for (const subscriber of this.conversations.get(conversationId) ?? []) {
      if (subscriber.pending) subscriber.pending.push({ activity, watermark });
      else deliver(subscriber, activity, watermark);
    }
  }

  /** Open streams of a conversation (for tests and metrics). */
  subscriberCount(conversationId: string): number {
    return this.conversations.get(conversationId)?.size ?? 0;
  }

  /** Closes every stream with 1001 (clients reconnect elsewhere) and stops the heartbeat. */
  close(): void {
    for (const [conversationId, subscribers] of this.conversations) {
      for (const subscriber of subscribers) {
        subscriber.socket.close(GOING_AWAY, 'server shutting down');
        this.remove(conversationId, subscriber);
      }
    }
    this.stopHeartbeat();
  }

  private add(conversationId: string, subscriber: Subscriber): void {
    let subscribers = this.conversations.get(conversationId);
    if (!subscribers) {
      subscribers = new Set();
      this.conversations.set(conversationId, subscribers);
    }
    subscribers.add(subscriber);
    this.startHeartbeat();
  }

  private remove(conversationId: string, subscriber: Subscriber): void {
    const subscribers = this.conversations.get(conversationId);
    if (!subscribers?.delete(subscriber)) return;
    if (subscribers.size === 0) this.conversations.delete(conversationId);
    if (this.conversations.size === 0) this.stopHeartbeat();
  }

  private startHeartbeat(): void {
    if (this.heartbeat || this.heartbeatMs <= 0) return;
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private beat(): void {
    for (const subscribers of this.conversations.values()) {
      for (const subscriber of subscribers) {
        if (!subscriber.alive) {
          subscriber.socket.terminate();
          continue;
        }
        subscriber.alive = false;
        if (subscriber.socket.readyState === OPEN) subscriber.socket.ping();
      }
    }
  }
}

function deliver(subscriber: Subscriber, activity: Partial<Activity>, watermark?: number): void {
  if (watermark === undefined) {
    send(subscriber.socket, { activities: [activity] });
    return;
  }
  if (watermark <= subscriber.lastSent) return;
  subscriber.lastSent = watermark;
  send(subscriber.socket, { activities: [activity], watermark: String(watermark) });
}

function send(socket: StreamSocket, frame: ActivitySet): void {
  if (socket.readyState !== OPEN) return;
  socket.send(JSON.stringify(frame));
}
