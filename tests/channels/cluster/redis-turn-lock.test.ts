/**
 * The turn lock two instances share: a conversation's turns never overlap across instances, a
 * lock left by a crashed instance lapses, a waiting turn gives up with a coded error, and other
 * conversations are not held up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterError } from '../../../channels/cluster/errors.js';
import { RedisTurnLock } from '../../../channels/cluster/redis-turn-lock.js';
import { redisUnderTest } from './redis-harness.js';

let redis = redisUnderTest();
afterEach(async () => {
  await redis.cleanUp();
  redis = redisUnderTest();
});

/** A task that records when it ran, and finishes when released. */
function task(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return {
    release,
    run: async () => {
      log.push(`${name} start`);
      await done;
      log.push(`${name} end`);
    },
  };
}

describe('RedisTurnLock', () => {
  it('runs one conversation’s turns one after another across two instances', async () => {
    const a = new RedisTurnLock((await redis.connect()).client);
    const b = new RedisTurnLock((await redis.connect()).client);
    const log: string[] = [];
    const first = task(log, 'A');
    const second = task(log, 'B');
    const onA = a.run('conv-1', first.run);
    // Wait until A holds the lock, then let B try.
    while (!log.includes('A start')) await new Promise((r) => setImmediate(r));
    const onB = b.run('conv-1', second.run);
    const other = b.run('conv-2', async () => log.push('other conversation'));
    await other;
    expect(log).toEqual(['A start', 'other conversation']);
    first.release();
    second.release();
    await Promise.all([onA, onB]);
    expect(log).toEqual(['A start', 'other conversation', 'A end', 'B start', 'B end']);
  });

  it('lets another instance in once a crashed holder’s lock has lapsed', async () => {
    const connection = await redis.connect();
    await connection.client.set('turn:conv-9', 'crashed-instance', 'PX', 50);
    const b = new RedisTurnLock((await redis.connect()).client, { retryMs: 5 });
    expect(await b.run('conv-9', async () => 'ran')).toBe('ran');
  });

  it('gives up with a coded error when the lock is not freed in time, and leaves it alone', async () => {
    const connection = await redis.connect();
    await connection.client.set('turn:conv-7', 'someone-else', 'PX', 10_000);
    const b = new RedisTurnLock((await redis.connect()).client, { waitMs: 50, retryMs: 5 });
    const error = await b.run('conv-7', async () => 'ran').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterError);
    expect((error as ClusterError).code).toBe('LOTSE_TURN_LOCK_TIMEOUT');
    expect(await connection.client.get('turn:conv-7')).toBe('someone-else');
  });

  it('releases the lock when the turn fails', async () => {
    const connection = await redis.connect();
    const a = new RedisTurnLock(connection.client);
    await expect(a.run('conv-3', async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(await connection.client.get('turn:conv-3')).toBeNull();
  });

  it('runs the turn under the local queue when Redis is gone, and says so', async () => {
    const connection = await redis.connect();
    const warnings: string[] = [];
    const lock = new RedisTurnLock(connection.client, {
      log: { warn: (_o, message) => warnings.push(message) },
    });
    await connection.close();
    expect(await lock.run('conv-5', async () => 'answered')).toBe('answered');
    expect(warnings).toEqual(['turn lock unavailable; the turn runs under the local queue only']);
  });

  it('renews the lock while a long turn runs', async () => {
    const connection = await redis.connect();
    const lock = new RedisTurnLock(connection.client, { ttlMs: 60 });
    const other = new RedisTurnLock((await redis.connect()).client, { waitMs: 40, retryMs: 5 });
    const result = await lock.run('conv-6', async () => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      // Past the first TTL the lock is still held: another instance cannot get in.
      return other.run('conv-6', async () => 'overlap').catch((e: ClusterError) => e.code);
    });
    expect(result).toBe('LOTSE_TURN_LOCK_TIMEOUT');
  });
});
