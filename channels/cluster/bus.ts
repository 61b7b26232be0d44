/**
 * Publish/subscribe between the instances of one deployment. Messages are JSON strings on named
 * topics; every subscriber of a topic — on this instance or another — gets every message published
 * after its subscription took effect, in the order one publisher published them. `LocalBus` is the
 * one-process bus (tests, a single instance); `RedisBus` carries the same over Redis pub/sub.
 */
import type { RedisConnection } from './redis.js';

/** Called once per message; must not throw (a throw is reported and the others still run). */
export type BusHandler = (message: string) => void;

export interface Bus {
  /** Sends `message` to every subscriber of `topic`; resolves once it left this instance. */
  publish(topic: string, message: string): Promise<void>;
  /**
   * Calls `handler` for each message on `topic` from the moment this resolves. Resolves to the
   * function that unsubscribes.
   */
  subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>>;
}

/** Where a handler's throw goes; by default nowhere, so one bad handler cannot stop the others. */
export type BusErrorListener = (error: unknown, topic: string) => void;

/** Handlers per topic, shared by both buses. */
class Topics {
  private readonly handlers = new Map<string, Set<BusHandler>>();

  constructor(private readonly onError: BusErrorListener) {}

  /** Adds a handler; true when it is the topic's first. */
  add(topic: string, handler: BusHandler): boolean {
    const set = this.handlers.get(topic);
    if (set) {
      set.add(handler);
      return false;
    }
    this.handlers.set(topic, new Set([handler]));
    return true;
  }

  /** Removes a handler; true when the topic has none left. */
  remove(topic: string, handler: BusHandler): boolean {
    const set = this.handlers.get(topic);
    if (!set?.delete(handler) || set.size > 0) return false;
    this.handlers.delete(topic);
    return true;
  }

  dispatch(topic: string, message: string): void {
    for (const handler of [...(this.handlers.get(topic) ?? [])]) {
      try {
        handler(message);
      } catch (error) {
        this.onError(error, topic);
      }
    }
  }

  count(topic: string): number {
    return this.handlers.get(topic)?.size ?? 0;
  }

  /** Forgets every handler and returns the topics they were on. */
  clear(): string[] {
    const topics = [...this.handlers.keys()];
    this.handlers.clear();
    return topics;
  }
}

/** The bus of one process: delivery is synchronous, inside `publish`. */
export class LocalBus implements Bus {
  private readonly topics: Topics;

  constructor(options: { onError?: BusErrorListener } = {}) {
    this.topics = new Topics(options.onError ?? (() => {}));
  }

  async publish(topic: string, message: string): Promise<void> {
    this.topics.dispatch(topic, message);
  }

  async subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>> {
    this.topics.add(topic, handler);
    return async () => void this.topics.remove(topic, handler);
  }

  /** Handlers of a topic (for tests and metrics). */
  handlerCount(topic: string): number {
    return this.topics.count(topic);
  }
}

/**
 * The bus over Redis pub/sub. Publishes on the connection's command client (one connection, so
 * messages leave in the order `publish` was called) and listens on its subscriber connection,
 * which Redis feeds in the order it executed the publishes. The channel of a topic is the
 * connection's key prefix plus the topic, so deployments sharing a Redis do not hear each other.
 * Redis pub/sub keeps nothing: a message published while an instance is disconnected is lost to
 * it (ioredis re-subscribes on reconnect).
 */
export class RedisBus implements Bus {
  private readonly topics: Topics;
  private readonly prefix: string;
  private readonly onMessage = (channel: string, message: string): void => {
    if (channel.startsWith(this.prefix)) {
      this.topics.dispatch(channel.slice(this.prefix.length), message);
    }
  };
  /** The SUBSCRIBE of each topic with handlers; awaited by later subscribers of the topic. */
  private readonly subscribed = new Map<string, Promise<unknown>>();

  constructor(
    private readonly redis: Pick<RedisConnection, 'client' | 'subscriber' | 'keyPrefix'>,
    options: { onError?: BusErrorListener } = {},
  ) {
    this.topics = new Topics(options.onError ?? (() => {}));
    this.prefix = redis.keyPrefix;
    redis.subscriber.on('message', this.onMessage);
  }

  async publish(topic: string, message: string): Promise<void> {
    await this.redis.client.publish(this.prefix + topic, message);
  }

  async subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>> {
    if (this.topics.add(topic, handler)) {
      this.subscribed.set(topic, this.redis.subscriber.subscribe(this.prefix + topic));
    }
    try {
      await this.subscribed.get(topic);
    } catch (error) {
      // The connection that refused SUBSCRIBE may refuse UNSUBSCRIBE too; the first error counts.
      await this.unsubscribe(topic, handler).catch(() => {});
      throw error;
    }
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      await this.unsubscribe(topic, handler);
    };
  }

  /** Unsubscribes every topic and stops listening; the connection itself stays open. */
  async close(): Promise<void> {
    this.redis.subscriber.off('message', this.onMessage);
    const topics = this.topics.clear();
    this.subscribed.clear();
    if (topics.length > 0 && this.redis.subscriber.status === 'ready') {
      await this.redis.subscriber.unsubscribe(...topics.map((topic) => this.prefix + topic));
    }
  }

  /** Handlers of a topic (for tests and metrics). */
  handlerCount(topic: string): number {
    return this.topics.count(topic);
  }

  private async unsubscribe(topic: string, handler: BusHandler): Promise<void> {
    if (!this.topics.remove(topic, handler)) return;
    this.subscribed.delete(topic);
    // Commands on one connection run in order, so a SUBSCRIBE issued after this one wins.
    await this.redis.subscriber.unsubscribe(this.prefix + topic);
  }
}
