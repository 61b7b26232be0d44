import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BACKOFF,
  MAX_RETRY_AFTER_MS,
  isLastAttempt,
  retryDelayMs,
  validateBackoff,
} from '../../../flows/outbox/backoff.js';

const policy = { baseMs: 1000, factor: 2, maxMs: 10_000, maxAttempts: 6 };

describe('the retry schedule', () => {
  it('doubles the wait after each failed attempt until the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(policy, attempt))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });

  it('waits at least as long as the backend asked with Retry-After, at most a day', () => {
    expect(retryDelayMs(policy, 1, 30_000)).toBe(30_000);
    expect(retryDelayMs(policy, 3, 500)).toBe(4000);
    expect(retryDelayMs(policy, 1, 7 * MAX_RETRY_AFTER_MS)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('never waits less than before, and never more than the cap without Retry-After', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60_000 }),
        fc.double({ min: 1, max: 5, noNaN: true }),
        fc.integer({ min: 0, max: 600_000 }),
        fc.integer({ min: 1, max: 60 }),
        (baseMs, factor, extra, attempt) => {
          const p = { baseMs, factor, maxMs: baseMs + extra, maxAttempts: 100 };
          const delay = retryDelayMs(p, attempt);
          expect(delay).toBeLessThanOrEqual(p.maxMs);
          expect(retryDelayMs(p, attempt + 1)).toBeGreaterThanOrEqual(delay);
        },
      ),
    );
  });

  it('ends with the attempt numbered maxAttempts', () => {
    expect(isLastAttempt(policy, 5)).toBe(false);
    expect(isLastAttempt(policy, 6)).toBe(true);
  });

  it('spans about a day by default', () => {
    let total = 0;
    for (let attempt = 1; attempt < DEFAULT_BACKOFF.maxAttempts; attempt += 1) {
      total += retryDelayMs(DEFAULT_BACKOFF, attempt);
    }
    expect(total / 3_600_000).toBeGreaterThan(20);
    expect(total / 3_600_000).toBeLessThan(30);
  });

  it('refuses settings out of range, naming the value', () => {
    expect(() => validateBackoff({ ...policy, factor: 0.5 })).toThrow(/factor 0.5/);
    expect(() => validateBackoff({ ...policy, maxAttempts: 0 })).toThrow(/maxAttempts 0/);
    expect(() => validateBackoff({ ...policy, maxMs: 10 })).toThrow(/maxMs 10/);
  });
});
