/**
 * One turn at a time per conversation across instances. A turn's replies become visible before
 * the bot saves the conversation state at the end of the turn; without a shared lock, the next
 * message — posted to another instance the moment the reply shows — would be handled with the
 * state from before the previous turn (the load benchmark caught exactly that). The lock is a
 * Redis key per conversation (`SET NX PX`, released only by its holder), taken after the local
 * queue, so turns of one instance do not poll Redis against each other.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { KeyedQueue, type TurnQueue } from '../directline/keyed-queue.js';
import { ClusterError } from './errors.js';

export interface RedisTurnLockOptions {
  /** The longest a turn may hold the lock; a crashed instance's lock lapses after this. */
  ttlMs?: number;
  /** How long a turn waits for the lock before it fails. */
  waitMs?: number;
  /** Pause between attempts while another instance holds the lock. */
  retryMs?: number;
}

/** Deletes the lock only if it is still ours (it may have lapsed and been taken by another). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export class RedisTurnLock implements TurnQueue {
  private readonly local = new KeyedQueue();
  private readonly ttlMs: number;
  private readonly waitMs: number;
  private readonly retryMs: number;

  constructor(
    private readonly client: Redis,
    options: RedisTurnLockOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.waitMs = options.waitMs ?? 30_000;
    this.retryMs = options.retryMs ?? 5;
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.local.run(key, async () => {
      const lock = `turn:${key}`;
      const token = randomBytes(12).toString('base64url');
      const deadline = Date.now() + this.waitMs;
      while ((await this.client.set(lock, token, 'PX', this.ttlMs, 'NX')) !== 'OK') {
        if (Date.now() > deadline) {
          throw new ClusterError(
            'LOTSE_TURN_LOCK_TIMEOUT',
            `cluster: another instance held the conversation's turn lock for over ${this.waitMs} ms`,
          );
        }
        await delay(this.retryMs);
      }
      try {
        return await task();
      } finally {
        await this.client.eval(RELEASE, 1, lock, token);
      }
    });
  }
}
