/**
 * Errors of the cluster layer (Redis), each with a stable code so an operator can tell "Redis is
 * not there" from a bug. Messages name the server (password masked), never a secret.
 */
export type ClusterErrorCode =
  /** Redis could not be reached or refused us at start-up; the operator fixes REDIS_URL or Redis. */
  | 'LOTSE_REDIS_UNAVAILABLE'
  /** A conversation's turn waited too long for another instance's turn (a hung turn). */
  | 'LOTSE_TURN_LOCK_TIMEOUT';

/** A cluster failure with a stable code; `cause` keeps the driver's error for the log. */
export class ClusterError extends Error {
  constructor(
    readonly code: ClusterErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ClusterError';
  }
}
