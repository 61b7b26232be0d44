/**
 * Serves the web chat page: the HTML, its script and styles from channels/webchat/public, and
 * Microsoft's Web Chat bundle straight from node_modules, so the page works with no CDN and offline.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'public');

/**
 * The standalone Web Chat bundle. The package's `exports` map blocks resolving `dist/webchat.js`
 * directly, so resolve the package root and join.
 */
export function webChatBundlePath(): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve('botframework-webchat'));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'webchat.js');
}

interface Asset {
  body: Buffer;
  type: string;
}

function asset(file: string, type: string): Asset {
  return { body: readFileSync(file), type };
}

/**
 * A Content-Security-Policy that allows only this origin (Web Chat needs inline styles, blob:
 * images and a WebSocket to Direct Line). `frameAncestors` says who may frame the page: the
 * citizens' page may be framed by the city's own site ('self'), the staff console by no one.
 */
export function webChatCsp(frameAncestors: "'self'" | "'none'"): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self' ws: wss:",
    "media-src 'self' blob:",
    `frame-ancestors ${frameAncestors}`,
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

const CSP = webChatCsp("'self'");

/** Registers `/` and the `/webchat/*` assets. Files are read once at start. */
export async function webChatPage(app: FastifyInstance): Promise<void> {
  const assets = new Map<string, Asset>([
    ['/', asset(join(PUBLIC_DIR, 'index.html'), 'text/html; charset=utf-8')],
    ['/webchat/lotse.js', asset(join(PUBLIC_DIR, 'lotse.js'), 'text/javascript; charset=utf-8')],
    ['/webchat/lotse.css', asset(join(PUBLIC_DIR, 'lotse.css'), 'text/css; charset=utf-8')],
    ['/webchat/webchat.js', asset(webChatBundlePath(), 'text/javascript; charset=utf-8')],
  ]);
  for (const [path, { body, type }] of assets) {
    app.get(path, async (_req, reply) =>
      reply
        .type(type)
        .header('content-security-policy', CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', path === '/' ? 'no-cache' : 'public, max-age=3600')
        .send(body),
    );
  }
}
