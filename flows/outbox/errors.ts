/**
 * Errors of the outbox, each with a stable code. They mean a caller bug or a configuration
 * mistake, never a delivery failure: those are `DeliveryError`s and end up in the outbox row.
 */
export type OutboxErrorCode =
  /** A submission that cannot be stored (empty flow name, payload not a JSON object, …). */
  | 'LOTSE_OUTBOX_INVALID_SUBMISSION'
  /** Dispatcher or connector options out of range; the operator fixes the config. */
  | 'LOTSE_OUTBOX_INVALID_CONFIG'
  /** No free receipt number after several tries: practically impossible, so a bug. */
  | 'LOTSE_OUTBOX_RECEIPT_EXHAUSTED';

/** An outbox failure with a stable code; the message names the offending value. */
export class OutboxError extends Error {
  constructor(
    readonly code: OutboxErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OutboxError';
  }
}
