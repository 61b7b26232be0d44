/**
 * When to try a failed delivery again: exponential backoff, capped, with a last attempt after
 * which the submission is dead-lettered. Deterministic (no jitter): dispatchers claim rows in
 * batches from a shared table, so retries of many submissions do not synchronise the way
 * independent clients hammering one server would; and a fixed schedule can be shown to users
 * and operators ("next attempt at 14:05").
 */
import { OutboxError } from './errors.js';

export interface BackoffPolicy {
  /** Wait after the first failed attempt, in ms. */
  baseMs: number;
  /** Multiplier per further attempt (≥ 1). */
  factor: number;
  /** Upper bound of one wait, in ms (a backend's Retry-After may ask for longer). */
  maxMs: number;
  /** Attempts in total, the first included; after the last failed one the submission is dead. */
  maxAttempts: number;
}

/** Roughly a day of attempts: 30 s, 1 min, 2 min, … capped at 1 h, 30 attempts. */
export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 30_000,
  factor: 2,
  maxMs: 3_600_000,
  maxAttempts: 30,
};

/** A backend asking to wait longer than this is not believed (a misconfigured header). */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/** Throws `LOTSE_OUTBOX_INVALID_CONFIG` naming the first value out of range. */
export function validateBackoff(policy: BackoffPolicy): BackoffPolicy {
  const problems: [boolean, string][] = [
    [Number.isFinite(policy.baseMs) && policy.baseMs >= 0, `baseMs ${policy.baseMs}`],
    [Number.isFinite(policy.factor) && policy.factor >= 1, `factor ${policy.factor}`],
    [Number.isFinite(policy.maxMs) && policy.maxMs >= policy.baseMs, `maxMs ${policy.maxMs}`],
    [
      Number.isInteger(policy.maxAttempts) && policy.maxAttempts >= 1,
      `maxAttempts ${policy.maxAttempts}`,
    ],
  ];
  const wrong = problems.find(([ok]) => !ok);
  if (wrong) {
    throw new OutboxError(
      'LOTSE_OUTBOX_INVALID_CONFIG',
      `outbox: backoff ${wrong[1]} is out of range (baseMs ≥ 0, factor ≥ 1, maxMs ≥ baseMs, maxAttempts ≥ 1)`,
    );
  }
  return policy;
}

/**
 * The wait after failed attempt number `attempt` (1 = the first): `baseMs · factor^(attempt-1)`,
 * at most `maxMs`; at least what the backend asked for with Retry-After (up to a day).
 */
export function retryDelayMs(
  policy: BackoffPolicy,
  attempt: number,
  retryAfterMs?: number,
): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * policy.factor ** (attempt - 1));
  const asked = Math.min(Math.max(retryAfterMs ?? 0, 0), MAX_RETRY_AFTER_MS);
  return Math.max(exponential, asked);
}

/** True when no attempt is left after failed attempt number `attempt`. */
export function isLastAttempt(policy: BackoffPolicy, attempt: number): boolean {
  return attempt >= policy.maxAttempts;
}
