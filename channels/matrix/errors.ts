/**
 * The two ways a call to the homeserver fails, kept apart as grammY does: the homeserver answered
 * with a Matrix error (`errcode`), or the request never got an answer (network, timeout, a body
 * that is not the promised JSON). The sync loop backs off on both; callers that send messages can
 * tell "the homeserver refused" from "try again later". Messages name the call (`send`, `sync`),
 * the status and the errcode — never the access token, a room's messages or a user's text.
 */

/** The calls this channel makes, used in error messages and logs instead of URLs. */
export type MatrixCall = 'whoami' | 'sync' | 'join' | 'send' | 'download';

/** The homeserver answered with an error status and (usually) a standard Matrix error body. */
export class MatrixApiError extends Error {
  constructor(
    readonly call: MatrixCall,
    readonly status: number,
    /** The Matrix `errcode` (`M_FORBIDDEN`, `M_LIMIT_EXCEEDED`, …); `M_UNKNOWN` when none came. */
    readonly errcode: string,
    /** For 429: how long the homeserver asked us to wait, when it said so. */
    readonly retryAfterMs?: number,
  ) {
    super(`matrix: ${call} failed with ${status} ${errcode}`);
    this.name = 'MatrixApiError';
  }

  /** The token is unknown, missing or logged out: a setting to fix, not a passing fault. */
  get unauthorized(): boolean {
    return this.status === 401;
  }
}

/** The request got no usable answer: connection refused or reset, timeout, malformed body. */
export class MatrixTransportError extends Error {
  constructor(
    readonly call: MatrixCall,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`matrix: ${call} failed: ${reason}`, options);
    this.name = 'MatrixTransportError';
  }
}

/** A media file is larger than Lotse accepts; it is not downloaded further. */
export class MatrixMediaTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`matrix: download refused: the file is larger than ${maxBytes} bytes`);
    this.name = 'MatrixMediaTooLargeError';
  }
}
