/**
 * Headers on every console response: a Content-Security-Policy that allows only this origin (no
 * inline script or style, no framing), no MIME sniffing, no referrer to other sites (URLs may
 * carry a caller's question), and no caching of pages that show personal data. The referrer
 * policy is `same-origin`, not `no-referrer`: with `no-referrer` Chromium sends `Origin: null` on
 * form posts, which the cross-origin check must refuse. A route that needs a wider policy (the
 * Web Chat bundle on the apply page) sets `content-security-policy` itself; it is kept.
 */
import type { FastifyInstance } from 'fastify';

/** The console's default policy. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Adds the headers in `onSend`, leaving any a route set itself. */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', CONSOLE_CSP);
    }
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    return payload;
  });
}
