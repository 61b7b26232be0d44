/**
 * Serves the console's scripts and styles from channels/staff/public at /staff/assets/<name>.
 * Files are read once at start; only plain names ending in .js or .css are served, so no path
 * can reach outside the folder. Browsers revalidate with the ETag, so a new version shows at once.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/** Where the console's browser files live. */
export const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'public');

const ASSET_NAME = /^[a-z0-9][a-z0-9-]*\.(js|css)$/;
const TYPES = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' } as const;

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** Reads every servable file in `dir`. */
export function readAssets(dir: string = PUBLIC_DIR): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const match = ASSET_NAME.exec(name);
    if (!match) continue;
    const body = readFileSync(join(dir, name));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(name, { body, type: TYPES[match[1] as keyof typeof TYPES], etag });
  }
  return assets;
}

/** Registers GET /staff/assets/:name (public: the login page needs them too). */
export function registerAssets(app: FastifyInstance, dir: string = PUBLIC_DIR): void {
  const assets = readAssets(dir);
  app.get<{ Params: { name: string } }>(
    '/staff/assets/:name',
    { config: { permission: 'public' } },
    async (req, reply) => {
      const asset = assets.get(req.params.name);
      if (!asset) {
        return reply.code(404).send({
          error: { code: 'LOTSE_STAFF_ASSET_NOT_FOUND', message: 'no such console asset' },
        });
      }
      reply.header('etag', asset.etag).header('cache-control', 'no-cache');
      if (req.headers['if-none-match'] === asset.etag) return reply.code(304).send();
      return reply.type(asset.type).send(asset.body);
    },
  );
}
