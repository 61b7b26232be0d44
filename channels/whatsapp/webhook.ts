/**
 * The WhatsApp Cloud API webhook as a fastify plugin. Register it once:
 *
 * ```ts
 * await app.register(whatsappWebhook, { client, adapter, appSecret, verifyToken, log });
 * ```
 *
 * The plugin is encapsulated: its JSON parser keeps the body as raw bytes (the signature covers
 * the exact bytes Meta sent, so the body must not be parsed before it is checked), its body limit
 * is 1 MiB, and its error handler answers with coded `{ error: { code, message } }` bodies —
 * all for its own routes only.
 */
import type { FastifyInstance } from 'fastify';
import type { WhatsAppLogger } from './client.js';
import { toWhatsAppWebhookError } from './errors.js';
import { registerWhatsAppRoutes, type WhatsAppRouteOptions } from './routes.js';

export { WHATSAPP_WEBHOOK_PATH } from './routes.js';

export interface WhatsAppWebhookOptions {
  /** The channel's client: downloads media, and names the phone number id served. */
  client: WhatsAppRouteOptions['client'];
  /** The messenger adapter (`receive`, `runInBackground`). */
  adapter: WhatsAppRouteOptions['adapter'];
  /** The app secret Meta signs webhook bodies with (`LOTSE_WHATSAPP_APP_SECRET`). */
  appSecret: string;
  /** The token of the GET handshake (`LOTSE_WHATSAPP_VERIFY_TOKEN`). */
  verifyToken: string;
  log: WhatsAppLogger;
  /** Largest body accepted, in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /**
   * Messages older than this are ignored: a reply could not reach the user anyway (it would fall
   * outside the 24-hour window), and it bounds what a replayed body can do. Default 24 hours.
   */
  maxMessageAgeMs?: number;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** The plugin; see the module comment. */
export async function whatsappWebhook(
  app: FastifyInstance,
  options: WhatsAppWebhookOptions,
): Promise<void> {
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: options.bodyLimit ?? 2 ** 20 },
    (_req, body, done) => done(null, body),
  );
  app.setErrorHandler((error, _req, reply) => {
    const coded = toWhatsAppWebhookError(error);
    // Refusals are logged by code only: never a body, a header or a number.
    options.log.warn(
      { channel: 'whatsapp', status: coded.statusCode, code: coded.code },
      coded.statusCode >= 500 ? 'whatsapp: webhook failed' : 'whatsapp: webhook request refused',
    );
    return reply.code(coded.statusCode).send(coded.toBody());
  });
  registerWhatsAppRoutes(app, {
    client: options.client,
    adapter: options.adapter,
    appSecret: options.appSecret,
    verifyToken: options.verifyToken,
    log: options.log,
    maxMessageAgeMs: options.maxMessageAgeMs ?? 24 * 60 * 60 * 1000,
    now: options.now ?? Date.now,
  });
}
