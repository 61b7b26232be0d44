import { describe, expect, it } from 'vitest';
import {
  KeyedSerializer,
  MemoryLoginLimiter,
} from '../../../../channels/staff/auth/login-limiter.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 2, 2, 8, 0, seconds));

describe('the in-memory login limiter', () => {
  it('allows the configured number of failures in the window, then says how long to wait', async () => {
    const limiter = new MemoryLoginLimiter({ attempts: 3, windowMs: 60_000 });
    await limiter.recordFailure(['user:anna'], at(0));
    await limiter.recordFailure(['user:anna'], at(10));
    expect(await limiter.retryAfter(['user:anna'], at(11))).toBe(0);
    await limiter.recordFailure(['user:anna'], at(20));
    expect(await limiter.retryAfter(['user:anna'], at(21))).toBe(39);
    // The window slides: once the first failure is older than a minute, one more try is allowed.
    expect(await limiter.retryAfter(['user:anna'], at(60))).toBe(0);
    expect(await limiter.retryAfter(['user:emil'], at(21))).toBe(0);
  });

  it('reports the longest wait of several keys and forgets a key on reset', async () => {
    const limiter = new MemoryLoginLimiter({ attempts: 1, windowMs: 60_000 });
    await limiter.recordFailure(['user:anna', 'ip:a'], at(0));
    await limiter.recordFailure(['ip:b'], at(30));
    expect(await limiter.retryAfter(['user:anna', 'ip:b'], at(30))).toBe(60);
    await limiter.reset('user:anna');
    expect(await limiter.retryAfter(['user:anna'], at(30))).toBe(0);
    expect(await limiter.retryAfter(['ip:a'], at(30))).toBe(30);
  });

  it('keeps at most maxKeys keys, dropping expired ones first', async () => {
    const limiter = new MemoryLoginLimiter({ attempts: 1, windowMs: 60_000 }, 2);
    await limiter.recordFailure(['ip:old'], at(0));
    await limiter.recordFailure(['ip:a'], at(59));
    await limiter.recordFailure(['ip:b'], at(70));
    expect(await limiter.retryAfter(['ip:a'], at(70))).toBe(49);
    expect(await limiter.retryAfter(['ip:b'], at(70))).toBe(60);
  });
});

describe('the keyed serializer', () => {
  it('runs tasks sharing a key one after another and others side by side', async () => {
    const serializer = new KeyedSerializer();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    const first = serializer.run(['user:anna', 'ip:1'], async () => {
      log.push('first start');
      started();
      await gate;
      log.push('first end');
    });
    const second = serializer.run(['ip:1'], async () => void log.push('second'));
    await firstStarted;
    // A task on another key runs while the first still holds ip:1; the second waits for it.
    await serializer.run(['ip:2'], async () => void log.push('other'));
    expect(log).toEqual(['first start', 'other']);
    release();
    await Promise.all([first, second]);
    expect(log).toEqual(['first start', 'other', 'first end', 'second']);
  });

  it('releases the key when a task fails', async () => {
    const serializer = new KeyedSerializer();
    await expect(
      serializer.run(['k'], async () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(await serializer.run(['k'], async () => 'next')).toBe('next');
  });
});
