/**
 * One turn at a time per conversation across instances. A turn's replies become visible before
 * the bot saves the conversation state at the end of the turn; without a shared lock, the next
 * message — posted to another instance the moment the reply shows — would be handled with the
 * state from before the previous turn (the load benchmark caught exactly that). The lock is a
 * Redis key per conversation (`SET NX PX`, renewed while the turn runs, released only by its
 * holder), taken after the local queue, so turns of one instance do not poll Redis against each
 * other. When Redis cannot be reached the turn runs under the local queue only, with a warning:
 * answering a citizen matters more than perfect ordering across instances.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { KeyedQueue, type TurnQueue } from '../directline/keyed-queue.js';
import { ClusterError } from './errors.js';

export interface RedisTurnLockOptions {
  /** How long the lock lives without renewal; a crashed instance's lock lapses after this. */
  ttlMs?: number;
  /** How long a turn waits for the lock before it fails. */
  waitMs?: number;
  /** First pause between attempts while another instance holds the lock (doubles, to 100 ms). */
  retryMs?: number;
  log?: { warn(o: object, m: string): void };
}

/** Deletes the lock only if it is still ours (it may have lapsed and been taken by another). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** Extends the lock only if it is still ours. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

const MAX_RETRY_MS = 100;

export class RedisTurnLock implements TurnQueue {
  private readonly local = new KeyedQueue();
  private readonly ttlMs: number;
  private readonly waitMs: number;
  private readonly retryMs: number;

  constructor(
    private readonly client: Redis,
    private readonly options: RedisTurnLockOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 15_000;
    this.waitMs = options.waitMs ?? 30_000;
    this.retryMs = options.retryMs ?? 5;
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.local.run(key, async () => {
      const lock = `turn:${key}`;
      const token = randomBytes(12).toString('base64url');
      let held: boolean;
      try {
        held = await this.acquire(lock, token);
      } catch (error) {
        if (error instanceof ClusterError) throw error;
        this.warn(error, 'turn lock unavailable; the turn runs under the local queue only');
        return task();
      }
      if (!held) return task();
      // Renew while the turn runs, so a long turn (a slow download) keeps its conversation.
      const renew = setInterval(() => {
        this.client
          .eval(RENEW, 1, lock, token, String(this.ttlMs))
          .catch((error: unknown) => this.warn(error, 'turn lock renewal failed'));
      }, this.ttlMs / 3);
      renew.unref();
      try {
        return await task();
      } finally {
        clearInterval(renew);
        // A failed release must not turn a finished turn into a failed one; the lock lapses.
        await this.client
          .eval(RELEASE, 1, lock, token)
          .catch((error: unknown) => this.warn(error, 'turn lock release failed'));
      }
    });
  }

  /** Takes the lock, waiting with backoff; throws LOTSE_TURN_LOCK_TIMEOUT after `waitMs`. */
  private async acquire(lock: string, token: string): Promise<boolean> {
    const deadline = Date.now() + this.waitMs;
    let pause = this.retryMs;
    while ((await this.client.set(lock, token, 'PX', this.ttlMs, 'NX')) !== 'OK') {
      if (Date.now() > deadline) {
        throw new ClusterError(
          'LOTSE_TURN_LOCK_TIMEOUT',
          `cluster: another instance held the conversation's turn lock for over ${this.waitMs} ms`,
        );
      }
      await delay(pause);
      pause = Math.min(pause * 2, MAX_RETRY_MS);
    }
    return true;
  }

  private warn(error: unknown, message: string): void {
    this.options.log?.warn({ err: (error as Error).name }, message);
  }
}
