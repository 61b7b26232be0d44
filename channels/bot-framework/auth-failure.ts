/**
 * Sorts the ways botbuilder's token validation fails into "the caller is not authenticated" and
 * "we could not check". botbuilder mixes three kinds of errors: its own `AuthenticationError`
 * (with a status that is 401 for a bad token and 500 when the key endpoint answered with an
 * error), jsonwebtoken's errors (a signature from an unknown key, a token not yet valid), and
 * transport errors from fetching the OpenID metadata.
 */

/** What the endpoint answers when authentication did not succeed. */
export interface AuthFailure {
  code: 'LOTSE_UNAUTHORIZED' | 'LOTSE_AUTH_UNAVAILABLE';
  /** For the operator's log: botbuilder's message, never the token. */
  reason: string;
}

/** jsonwebtoken's error names: all of them mean the token itself is not acceptable. */
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/** Transport failures while fetching the OpenID configuration or the signing keys. */
const TRANSPORT_ERRORS = new Set(['FetchError', 'AbortError']);

function statusOf(error: object): number | undefined {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Classifies an error thrown by `authenticateRequest`. Anything not recognisably a failure to
 * reach the key endpoint counts as unauthorized: when in doubt, the request is refused.
 */
export function classifyAuthFailure(error: unknown): AuthFailure {
  if (!(error instanceof Error)) return { code: 'LOTSE_UNAUTHORIZED', reason: String(error) };
  const reason = `${error.name}: ${error.message}`;
  if (TOKEN_ERRORS.has(error.name)) return { code: 'LOTSE_UNAUTHORIZED', reason };
  const status = statusOf(error);
  if (TRANSPORT_ERRORS.has(error.name) || (status !== undefined && status >= 500)) {
    return { code: 'LOTSE_AUTH_UNAVAILABLE', reason };
  }
  return { code: 'LOTSE_UNAUTHORIZED', reason };
}
