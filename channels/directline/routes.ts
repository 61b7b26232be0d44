/**
 * The self-hosted Direct Line 3.0 service as a fastify plugin, so Microsoft's Web Chat and any
 * Direct Line client talk to Lotse without Azure. Register it under `/v3/directline`:
 *
 * ```ts
 * await app.register(directLine, { prefix: '/v3/directline', secret, transcripts, bot });
 * ```
 *
 * The plugin is encapsulated: its error handler (coded `{ error: { code, message } }` bodies),
 * its JSON parser (an empty body is no body) and its rate limit apply to its own routes only.
 * It registers `@fastify/websocket`, `@fastify/multipart` and `@fastify/rate-limit` itself unless
 * a parent already did; register `@fastify/websocket` once at the root when other plugins need
 * WebSockets too, since every registration listens for upgrades on the same server.
 */
import multipart from '@fastify/multipart';
import rateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { TranscriptStore } from '../../storage/types.js';
import { type BotLogic, DirectLineAdapter } from './adapter.js';
import type { DirectLineContext } from './context.js';
import { registerConversationRoutes } from './conversation-routes.js';
import { DirectLineErrors, toDirectLineError } from './errors.js';
import { registerStreamRoute } from './stream-route.js';
import { registerTokenRoutes } from './token-routes.js';
import { TokenIssuer } from './tokens.js';
import { registerUploadRoutes } from './upload-routes.js';
import { MemoryUploadStore, type UploadStore } from './uploads.js';

/** Options of the `directLine` plugin; the defaults suit one instance behind a TLS proxy. */
export interface DirectLineOptions {
  /** The Direct Line secret (at least 16 characters); see `loadOrCreateSecret`. */
  secret: string;
  /** Conversations and their activities; must be the adapter's store when `adapter` is given. */
  transcripts: TranscriptStore;
  /** The bot, run once per incoming activity. */
  bot: BotLogic;
  /** The adapter, when the caller needs it for proactive messages; created when absent. */
  adapter?: DirectLineAdapter;
  /** Where uploaded files are kept. Default: in memory (one instance only). */
  uploads?: UploadStore;
  /** Token lifetime in seconds. Default 1800. */
  tokenTtlSeconds?: number;
  /** Bytes of files one upload may carry. Default 4 MiB. */
  maxUploadBytes?: number;
  /** Bytes of one posted activity (and of the other JSON bodies). Default 64 KiB. */
  maxActivityBytes?: number;
  /**
   * The public origin (optionally with a path) clients reach this server at, e.g.
   * `https://chat.stadt.de`; used for `streamUrl` and attachment links. Default: the request's.
   */
  publicBaseUrl?: string;
  /** Clock in milliseconds since the epoch (token expiry, timestamps). Default `Date.now`. */
  now?: () => number;
  /** The apology after the bot fails on a turn. Default: German, English for `en` locales. */
  errorText?: string;
  /**
   * Per-client-IP rate limit for all Direct Line routes, or `false` when a parent limits already.
   * Default 1000 requests per minute (generous: offices share one address, polling is 1/s).
   */
  rateLimit?: RateLimitPluginOptions | false;
}

const MIN_SECRET_LENGTH = 16;

/** The Direct Line 3.0 endpoints, the stream and uploads. */
export async function directLine(app: FastifyInstance, options: DirectLineOptions): Promise<void> {
  const ctx = buildContext(app, options);

  if (!app.hasDecorator('websocketServer')) {
    // Clients only ever send empty keep-alive frames; a small cap keeps junk out of memory.
    await app.register(websocket, { options: { maxPayload: 4096 } });
  }
  if (!app.hasRequestDecorator('parts')) await app.register(multipart);
  if (options.rateLimit !== false && !app.hasDecorator('rateLimit')) {
    await app.register(rateLimit, {
      max: 1000,
      timeWindow: '1 minute',
      ...options.rateLimit,
      errorResponseBuilder: (_request, context) =>
        DirectLineErrors.tooManyRequests(
          `directline: too many requests; retry in ${context.after}`,
        ),
    });
  }

  app.setErrorHandler((error, request, reply) => {
    const coded = toDirectLineError(error);
    if (coded.statusCode >= 500) request.log.error({ err: error }, 'directline: request failed');
    return reply.code(coded.statusCode).send(coded.toBody());
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send(DirectLineErrors.notFound('directline: no such endpoint').toBody()),
  );

  // Direct Line clients post `Content-Type: application/json` with an empty body (token refresh,
  // conversation start); that is "no body", not malformed JSON.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.length === 0) done(null, undefined);
    else parseJson(request, text, done);
  });

  registerTokenRoutes(app, ctx);
  registerConversationRoutes(app, ctx);
  registerStreamRoute(app, ctx);
  registerUploadRoutes(app, ctx);

  app.addHook('onClose', async () => {
    ctx.adapter.streams.close();
    await ctx.adapter.whenIdle();
  });
}

function buildContext(app: FastifyInstance, options: DirectLineOptions): DirectLineContext {
  if (typeof options.secret !== 'string' || options.secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`directline: the secret must have at least ${MIN_SECRET_LENGTH} characters`);
  }
  if (options.adapter && options.adapter.transcripts !== options.transcripts) {
    throw new Error('directline: the adapter must use the same transcript store as the routes');
  }
  const publicBaseUrl = options.publicBaseUrl?.replace(/\/+$/, '');
  if (publicBaseUrl !== undefined && !/^https?:\/\/[^/]+/.test(publicBaseUrl)) {
    throw new Error(
      `directline: publicBaseUrl must be an http(s) URL, got ${JSON.stringify(options.publicBaseUrl)}`,
    );
  }
  const now = options.now ?? Date.now;
  const errorText = options.errorText;
  return {
    secret: options.secret,
    tokens: new TokenIssuer(options.secret, { ttlSeconds: options.tokenTtlSeconds ?? 1800, now }),
    adapter:
      options.adapter ??
      new DirectLineAdapter({
        transcripts: options.transcripts,
        now,
        serviceUrl: publicBaseUrl ? `${publicBaseUrl}${app.prefix}` : '',
      }),
    transcripts: options.transcripts,
    uploads: options.uploads ?? new MemoryUploadStore(),
    bot: options.bot,
    now,
    log: app.log,
    maxUploadBytes: positive('maxUploadBytes', options.maxUploadBytes, 4 * 1024 * 1024),
    maxActivityBytes: positive('maxActivityBytes', options.maxActivityBytes, 64 * 1024),
    prefix: app.prefix,
    publicBaseUrl,
    errorText: errorText === undefined ? undefined : () => errorText,
    starting: new Set(),
  };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`directline: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
