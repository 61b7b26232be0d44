/**
 * The HTTP server and its composition: health probes, the search API, the web chat page and its
 * token endpoint, Direct Line 3.0 for Web Chat, and `/api/messages` for Azure Bot Service
 * channels — all driving one bot over one set of stores. Logs carry no message text or query:
 * only method, route, status and timing, unless LOTSE_LOG_CONTENT is on.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import { ConversationState } from 'botbuilder';
import { z } from 'zod';
import { FlowTurns } from '../bot/flow-turns.js';
import { LotseBot } from '../bot/lotse-bot.js';
import { sqlSubmissions } from '../bot/submissions.js';
import { FlowRegistry } from '../flows/registry.js';
import { BEWOHNERPARKAUSWEIS_SERVICE_ID } from '../flows/definitions/bewohnerparkausweis.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Stores } from '../storage/open-store.js';
import { botFrameworkMessages } from './bot-framework/messages.js';
import type { Config } from './config.js';
import { DirectLineAdapter } from './directline/adapter.js';
import { directLine } from './directline/routes.js';
import { TokenIssuer } from './directline/tokens.js';
import { webChatPage } from './webchat/page.js';
import { webChatToken } from './webchat/token-route.js';
import { Dispatcher } from '../flows/outbox/dispatcher.js';
import { createConnectors, readBackends } from './backends.js';
import { notifyCitizens } from './status-notifications.js';
import { statusCallbackRoute } from './status-callback-route.js';
import { ChannelMessenger, directLineSender } from './citizen-messenger.js';
import { departmentName, HandoffService } from '../bot/handoff/handoff-service.js';
import { HandoffSweeper } from '../bot/handoff/sweeper.js';
import { staffConsole } from './staff/index.js';
import { registerMessengers, type Messengers } from './messengers.js';
import { localCluster, type Cluster } from './cluster/cluster.js';

const SearchQuerySchema = z.object({
  q: z.string().trim().min(1).max(500),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});

export interface ServerParts {
  config: Config;
  knowledge: KnowledgeBase;
  stores: Stores;
  /** The Direct Line secret (see `loadOrCreateSecret`). */
  directLineSecret: string;
  /** Where logs go (default stdout); tests read them to check that no message text is logged. */
  logStream?: { write(line: string): void };
  /**
   * What instances share: live streams, console notices, rate limits. In process by default;
   * `redisCluster` for several instances.
   */
  cluster?: Cluster;
}

export interface LotseServer {
  app: FastifyInstance;
  bot: LotseBot;
  /** For proactive messages into web chat conversations. */
  directLineAdapter: DirectLineAdapter;
  /** Delivers the outbox to the configured backends; the caller starts and stops it. */
  dispatcher: Dispatcher;
  /** The handoff desk shared by the bot and the staff console. */
  handoffs: HandoffService;
  /** Expires stale handoff requests; the caller starts and stops it. */
  sweeper: HandoffSweeper;
  /** Sends messages Lotse starts into conversations, by channel. */
  messenger: ChannelMessenger;
  /** The shared parts; closed by the caller after the server and the turns are done. */
  cluster: Cluster;
  /** Telegram, WhatsApp and Matrix as configured; the caller starts and stops them. */
  messengers: Messengers;
}

/** Builds the server with all routes; `listen` is the caller's job so tests can choose a port. */
export async function buildServer(parts: ServerParts): Promise<LotseServer> {
  const { config, knowledge, stores } = parts;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(parts.logStream ? { stream: parts.logStream } : {}),
      serializers: {
        // URLs may carry a citizen's question (search) or a token (stream): log the route only.
        req: (req) =>
          config.logContent
            ? { method: req.method, url: req.url }
            : { method: req.method, route: req.routeOptions?.url ?? 'unknown' },
      },
      redact: config.logContent
        ? []
        : ['*.text', '*.value', '*.token', 'req.headers.authorization'],
    },
    bodyLimit: 64 * 1024,
    // Only named proxies may say who the client is: a client cannot pick its own address.
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
  });

  const cluster = parts.cluster ?? localCluster();
  const flood = cluster.floodLimiter(config.channelRateLimit);
  const directLineAdapter = new DirectLineAdapter({
    transcripts: stores.transcripts,
    streams: cluster.streams,
    turns: cluster.turns,
  });
  const messenger = new ChannelMessenger().register(
    'directline',
    directLineSender(directLineAdapter),
  );
  const events = cluster.events;
  const handoffs = new HandoffService({
    store: stores.handoffs,
    presence: stores.presence,
    transcripts: stores.transcripts,
    events,
    messenger,
    departmentOf: (id) =>
      departmentName(id ? knowledge.search.get(id)?.authority?.name : undefined),
    presenceTimeoutMs: config.staff.presenceSeconds * 1000,
    pendingExpiryMs: config.handoff.pendingMinutes * 60_000,
    assignedIdleMs: config.handoff.idleMinutes * 60_000,
    log: app.log,
  });

  const registry = new FlowRegistry({
    parkingPermitFees: knowledge.search.get(BEWOHNERPARKAUSWEIS_SERVICE_ID)?.fees?.text,
  });
  const flows: FlowTurns = new FlowTurns({
    registry,
    submissions: sqlSubmissions(stores.sql, stores.state, stores.outbox),
    profiles: stores.profiles,
    search: knowledge.search,
    expiryMs: config.flows.expiryHours * 3_600_000,
    now: () => new Date(),
    requestHandoff: (context, data): Promise<void> =>
      bot.requestHandoff(context, data, 'user-request'),
    enteredBy: async (id) => (await stores.transcripts.getConversation(id))?.enteredBy,
    insights: stores.insights,
  });
  // The flow turns call back into the bot (a flow may ask for a person); `bot` exists by then.
  const bot: LotseBot = new LotseBot({
    search: knowledge.search,
    conversationState: new ConversationState(stores.state),
    feedback: stores.feedback,
    handoffs,
    flows,
    profiles: stores.profiles,
    ...(config.insightsQuestions ? { insights: stores.insights } : {}),
    eraseUser: (userId) => eraseEverywhere(userId),
  });
  const run = (context: Parameters<LotseBot['run']>[0]) => bot.run(context);

  await app.register(websocket, {
    // Every socket closes with 1001 "going away": Direct Line clients take it as the hint to
    // reconnect (behind a load balancer, to another instance) and resume from their watermark.
    preClose(this: FastifyInstance, done: () => void) {
      for (const socket of this.websocketServer.clients) socket.close(1001, 'server shutting down');
      this.websocketServer.close(() => done());
    },
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    try {
      await stores.ping();
      return {
        status: 'ready',
        services: knowledge.search.indexedCount,
        catalogue: knowledge.catalogue.version,
      };
    } catch {
      return reply.code(503).send({ status: 'unavailable', code: 'LOTSE_STORE_UNAVAILABLE' });
    }
  });

  app.get('/api/search', async (req, reply) => {
    const parsed = SearchQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      return reply.code(400).send({
        error: {
          code: 'LOTSE_BAD_QUERY',
          message: 'q (1–500 characters) and an optional limit (1–20) are required',
        },
      });
    }
    const r = await knowledge.search.search(parsed.data.q, { limit: parsed.data.limit });
    return {
      query: r.query,
      abstained: r.abstained,
      closeCall: r.closeCall,
      results: r.results.map((x) => ({
        id: x.service.id,
        name: x.service.name,
        score: x.score,
        confidence: x.confidence,
        source: x.service.source.url,
      })),
    };
  });

  await app.register(webChatPage);
  // One place for files from every channel, in the database so every instance serves them.
  const uploads = stores.uploads;
  const issuer = new TokenIssuer(parts.directLineSecret, {
    ttlSeconds: config.directLine.tokenTtlSeconds,
  });
  await app.register(webChatToken, {
    secret: parts.directLineSecret,
    issuer,
    transcripts: stores.transcripts,
    perMinute: config.directLine.tokenRateLimit,
    ...(cluster.rateLimitStore ? { rateLimitStore: cluster.rateLimitStore } : {}),
  });
  await app.register(directLine, {
    prefix: '/v3/directline',
    secret: parts.directLineSecret,
    transcripts: stores.transcripts,
    bot: run,
    adapter: directLineAdapter,
    uploads,
    // Several instances count one client's requests together (fails open if Redis is down).
    ...(cluster.rateLimitStore
      ? {
          rateLimit: {
            redis: cluster.rateLimitStore,
            nameSpace: 'rate-limit:directline:',
            skipOnError: true,
          },
        }
      : {}),
    tokenTtlSeconds: config.directLine.tokenTtlSeconds,
    maxUploadBytes: config.directLine.uploadMaxBytes,
    ...(config.publicUrl ? { publicBaseUrl: config.publicUrl } : {}),
  });
  await app.register(botFrameworkMessages, {
    ...(config.botFramework.appId ? { appId: config.botFramework.appId } : {}),
    ...(config.botFramework.appPassword ? { appPassword: config.botFramework.appPassword } : {}),
    ...(config.botFramework.appTenantId ? { appTenantId: config.botFramework.appTenantId } : {}),
    ...(config.botFramework.appType ? { appType: config.botFramework.appType } : {}),
    ...(config.botFramework.openIdMetadataUrl
      ? { openIdMetadataUrl: config.botFramework.openIdMetadataUrl }
      : {}),
    bot: run,
  });

  await app.register(staffConsole, {
    config,
    knowledge,
    stores,
    registry,
    handoffs,
    events,
    issuer,
    loginLimiter: cluster.loginLimiter({
      attempts: config.staff.loginAttempts,
      windowMs: config.staff.loginWindowMinutes * 60_000,
    }),
  });

  const notify = notifyCitizens(messenger, app.log);
  const dispatcher = new Dispatcher({
    outbox: stores.outbox,
    connectors: createConnectors(readBackends(config.flows.backendsFile)),
    onStatus: notify,
    logger: app.log,
    leaseMs: config.flows.dispatchLeaseMs,
  });
  if (config.flows.callbackSecrets.length) {
    await app.register(statusCallbackRoute, {
      outbox: stores.outbox,
      secrets: config.flows.callbackSecrets,
      onStatus: notify,
    });
  }

  // "Daten löschen": every store, and the user's counters in Redis (or in process).
  async function eraseEverywhere(userId: string): Promise<void> {
    await stores.erase.eraseUser(userId);
    await flood.forget([userId]);
  }

  const messengers = await registerMessengers({
    app,
    config,
    stores,
    bot: run,
    uploads,
    messenger,
    flood,
    turns: cluster.turns,
  });

  const sweeper = new HandoffSweeper(handoffs, app.log);
  return {
    app,
    bot,
    directLineAdapter,
    dispatcher,
    handoffs,
    sweeper,
    messenger,
    messengers,
    cluster,
  };
}
