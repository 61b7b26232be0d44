/**
 * The seam between the outbox and a backend. A connector delivers one submission and either
 * returns the backend's reference or throws a `DeliveryError` saying whether trying again can
 * help. That one distinction is all the dispatcher needs (as in grammY: "the remote answered
 * with an error" vs "the transport failed"):
 *
 * - `permanent`: the backend understood and refused our data (HTTP 4xx except 408/429, an Open311
 *   error list, an SMTP 5xx). Retrying sends the same refused data again, so the submission is
 *   dead-lettered at once, with the backend's reason, for staff to look at;
 * - `transient`: the backend could not take it now (network, timeout, 5xx, 408, 429, SMTP 4xx).
 *   Retried with backoff, honouring `retryAfterMs`.
 *
 * Every attempt carries the same idempotency key, so a backend that saw an attempt whose answer
 * got lost recognises the next one.
 */
import type { OutboxSubmission } from '../outbox/types.js';

/** What a backend said about a delivered submission. */
export interface DeliveryResult {
  /** The backend's own id for the case, shown to staff and kept in the outbox. */
  reference?: string;
}

/** Delivers submissions to one backend. Implementations are stateless between calls. */
export interface Connector {
  deliver(submission: OutboxSubmission): Promise<DeliveryResult>;
}

export type DeliveryErrorKind = 'transient' | 'permanent';

/** A failed delivery, classified; the message is stored in the outbox and shown to operators. */
export class DeliveryError extends Error {
  /** How long the backend asked us to wait (HTTP Retry-After), in ms. */
  readonly retryAfterMs: number | undefined;
  /** The HTTP status or SMTP reply code, when there was one. */
  readonly status: number | undefined;

  constructor(
    readonly kind: DeliveryErrorKind,
    message: string,
    options: { cause?: unknown; retryAfterMs?: number; status?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'DeliveryError';
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

/**
 * HTTP statuses that mean "not now" rather than "not this": 408 Request Timeout, 429 Too Many
 * Requests and every 5xx. All other non-2xx statuses refuse the request itself.
 */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * A `Retry-After` header in ms: delta-seconds or an HTTP date (relative to `now`); `undefined`
 * when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}
