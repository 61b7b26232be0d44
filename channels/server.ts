/**
 * The HTTP server: health probes and the search API today; the web chat (Direct Line), the Bot
 * Framework endpoint and the staff console mount here as they are built. Logs carry no query or
 * message text: only method, route, status and timing.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Config } from './config.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';

const SearchQuerySchema = z.object({
  q: z.string().trim().min(1).max(500),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});

/** Builds the server with all routes; `listen` is the caller's job so tests can `inject()`. */
export function buildServer(config: Config, knowledge: () => KnowledgeBase): FastifyInstance {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // Query strings may hold a citizen's question: log the route, never the URL.
      serializers: {
        req: (req) => ({ method: req.method, route: req.routeOptions?.url ?? 'unknown' }),
      },
    },
    bodyLimit: 64 * 1024,
    disableRequestLogging: false,
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    try {
      const kb = knowledge();
      return { status: 'ready', services: kb.search.indexedCount, catalogue: kb.catalogue.version };
    } catch (e) {
      return reply.code(503).send({
        status: 'unavailable',
        code: 'LOTSE_CATALOGUE_UNAVAILABLE',
        message: (e as Error).message,
      });
    }
  });

  app.get('/api/search', async (req, reply) => {
    const parsed = SearchQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      return reply.code(400).send({
        code: 'LOTSE_BAD_QUERY',
        message: 'q (1–500 characters) and an optional limit (1–20) are required',
      });
    }
    const r = await knowledge().search.search(parsed.data.q, { limit: parsed.data.limit });
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

  return app;
}
