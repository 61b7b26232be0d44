/**
 * What the console's auth layer reads from a request: whether a person's browser asked for a page
 * (redirect) or a script asked for data (JSON), whether it came from another site (CSRF), and
 * where to send someone after login without becoming an open redirect.
 */
import type { FastifyRequest } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** POST, PUT, PATCH, DELETE: these change state and need the CSRF token. */
export function isUnsafe(method: string): boolean {
  return !SAFE_METHODS.has(method);
}

/** True for a browser navigation or form post (Accept names text/html); false for fetch/JSON. */
export function wantsHtml(req: FastifyRequest): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

/** True when the request body is a JSON document (the JSON variant of a form). */
export function sentJson(req: FastifyRequest): boolean {
  return (req.headers['content-type'] ?? '').startsWith('application/json');
}

/** The origins this console is served from: the configured public URL and the request's own host. */
function ownOrigins(req: FastifyRequest, publicUrl: string | undefined): Set<string> {
  const origins = new Set([`${req.protocol}://${req.host}`.toLowerCase()]);
  if (publicUrl) origins.add(new URL(publicUrl).origin.toLowerCase());
  return origins;
}

/**
 * True when a browser says the request comes from another origin: an `Origin` header that is
 * not ours (including `null`), or `Sec-Fetch-Site` other than same-origin or a typed URL. Sibling
 * sub-domains count as foreign: SameSite cookies do not protect against them. Requests without
 * either header (curl, scripts) are not browsers acting for someone else.
 */
export function crossOrigin(req: FastifyRequest, publicUrl: string | undefined): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  return !ownOrigins(req, publicUrl).has(origin.toLowerCase());
}

/** True for a WebSocket handshake, which browsers send cross-site with cookies attached. */
export function isWebSocketUpgrade(req: FastifyRequest): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/** Where the console starts. */
export const CONSOLE_HOME = '/staff';

/**
 * A path inside the console to return to after login, or the start page: only same-origin
 * relative paths under /staff, never `//host`, backslashes or control characters. Spaces and
 * characters beyond ASCII (a search for "Gebühr €") are percent-encoded, because a Location
 * header cannot carry them (Node refuses the redirect); `%` escapes already there stay as they are.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 512) return CONSOLE_HOME;
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return CONSOLE_HOME;
  if (!/^\/staff(?:[/?#]|$)/.test(next) || next.includes('//')) return CONSOLE_HOME;
  if (next.startsWith('/staff/login') || next.startsWith('/staff/logout')) return CONSOLE_HOME;
  return encodeBeyondAscii(next) ?? CONSOLE_HOME;
}

/** Percent-encodes spaces and non-ASCII as UTF-8; undefined for text that is not valid UTF-16. */
function encodeBeyondAscii(path: string): string | undefined {
  try {
    return path.replace(/[^\x21-\x7e]+/g, (run) => encodeURIComponent(run));
  } catch {
    return undefined; // a lone surrogate: encodeURIComponent throws URIError
  }
}
