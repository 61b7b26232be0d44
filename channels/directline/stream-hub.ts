/**
 * The live side of Direct Line: the WebSocket streams of each conversation. A stream first gets
 * the stored activities after the watermark it asked for (so nothing is lost between a reload and
 * the reconnect), then every new activity as it is appended. Frames are ActivitySets
 * `{ activities, watermark }` as JSON text, exactly what botframework-directlinejs parses.
 *
 * Activities published while a stream is still replaying wait in a per-socket buffer and are sent
 * after the replay unless the replay already contained them (compared by watermark), so a client
 * sees every activity once and in order. With `fillGaps`, an activity that skips a watermark
 * (published out of order by another instance) makes the hub read the transcript again first,
 * whether it arrives live or while the buffer is drained.
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
  /**
   * Whether a stored activity whose watermark skips past the next expected one makes the hub read
   * the missing ones from the transcript before sending it. One process publishes in watermark
   * order and needs no such thing; with several instances (`BusStreamHub`) two of them may append
   * to one conversation at once and publish out of order, and the lower activity would otherwise
   * be dropped as already sent. Default false.
   */
  fillGaps?: boolean;
}

interface Subscriber {
  socket: StreamSocket;
  /** Highest watermark sent; stored activities at or below it are never sent again. */
  lastSent: number;
  /** Activities published during the replay, or null once the socket is live. */
  pending: Published[] | null;
  alive: boolean;
  /** Reads the transcript after a watermark: for the first replay and for filling gaps. */
  replay: (after: number) => Promise<TranscriptPage>;
  closed: boolean;
}

type Published = { activity: Partial<Activity>; watermark?: number };

const OPEN = 1;
/**
 * Transcript reads one gap may trigger before the hub sends what it has. A published watermark
 * is committed and handed out under a row lock, so one read normally closes the gap; the bound
 * only matters for a conversation deleted meanwhile, whose reads stay empty.
 */
const MAX_GAP_FILLS = 3;
/** Close codes: 1001 going away (shutdown), 1011 server error (replay failed). */
const GOING_AWAY = 1001;
const SERVER_ERROR = 1011;

/** Per-conversation WebSocket subscribers of one process. */
export class StreamHub {
  private readonly conversations = new Map<string, Set<Subscriber>>();
  private readonly heartbeatMs: number;
  private readonly fillGaps: boolean;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(options: StreamHubOptions = {}) {
    this.heartbeatMs = options.heartbeatMs ?? 30_000;
    this.fillGaps = options.fillGaps ?? false;
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
    const subscriber: Subscriber = {
      socket,
      lastSent: watermark,
      pending: [],
      alive: true,
      replay,
      closed: false,
    };
    this.add(conversationId, subscriber);
    socket.on('close', () => {
      subscriber.closed = true;
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
    await this.catchUp(conversationId, subscriber, MAX_GAP_FILLS);
  }

  /**
   * Sends an activity to every stream of its conversation. Stored activities carry their
   * watermark; callers publish them in watermark order (the adapter's queue sees to that).
   */
  publish(conversationId: string, activity: Partial<Activity>, watermark?: number): void {
    for (const subscriber of this.conversations.get(conversationId) ?? []) {
      this.offer(conversationId, subscriber, { activity, watermark });
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

  /**
   * Sends the stored activities after the subscriber's last watermark page by page (while
   * publications wait in `pending`), then what waited. A failed read closes the socket with 1011.
   * With `fillGaps`, a waiting activity that skips a watermark starts another catch-up (it and
   * what follows wait again), at most `fillsLeft` times; after that it is sent as it is.
   */
  private async catchUp(
    conversationId: string,
    subscriber: Subscriber,
    fillsLeft: number,
  ): Promise<void> {
    try {
      for (;;) {
        const page = await subscriber.replay(subscriber.lastSent);
        if (subscriber.closed) break;
        if (page.activities.length === 0 || page.watermark <= subscriber.lastSent) break;
        send(subscriber.socket, { activities: page.activities, watermark: String(page.watermark) });
        subscriber.lastSent = page.watermark;
      }
    } catch {
      subscriber.socket.close(SERVER_ERROR, 'replay failed');
      this.remove(conversationId, subscriber);
      return;
    }
    const pending = subscriber.pending ?? [];
    subscriber.pending = null;
    for (const [index, item] of pending.entries()) {
      if (this.fillGaps && fillsLeft > 0 && !subscriber.closed && skipsAhead(subscriber, item)) {
        // A lower activity was committed but its publication has not arrived (yet): read it.
        subscriber.pending = pending.slice(index);
        await this.catchUp(conversationId, subscriber, fillsLeft - 1);
        return;
      }
      deliver(subscriber, item.activity, item.watermark);
    }
  }

  /** Queues behind a running replay, fills a gap first (when asked to), or sends at once. */
  private offer(conversationId: string, subscriber: Subscriber, item: Published): void {
    if (subscriber.pending) {
      subscriber.pending.push(item);
    } else if (this.fillGaps && skipsAhead(subscriber, item)) {
      subscriber.pending = [item];
      void this.catchUp(conversationId, subscriber, MAX_GAP_FILLS - 1);
    } else {
      deliver(subscriber, item.activity, item.watermark);
    }
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

/** Whether a stored activity's watermark leaves out one the subscriber has not been sent. */
function skipsAhead(subscriber: Subscriber, item: Published): boolean {
  return item.watermark !== undefined && item.watermark > subscriber.lastSent + 1;
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
