/**
 * Agent assist in the staff console: the "Auskunft" search with answer cards (page and JSON),
 * the card of one service, and "Antrag aufnehmen" — a flow run on a caller's behalf. Look-ups need
 * the `assist` permission, applications for callers the `apply` permission (agents and admins, not
 * editors); the console's auth layer enforces both. The pages are German, server-rendered and work
 * without scripts except the Web Chat dialog itself.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { StaffModuleOptions } from '../contract.js';
import { applyTokenHandler } from './apply-token.js';
import { APPLY_CSP, renderFlowList, renderFlowPage } from './apply-page.js';
import { lookUp, MAX_QUERY_LENGTH, serviceCard } from './lookup.js';
import { renderSearchPage, renderServiceNotFound, renderServicePage } from './search-page.js';
import { ASSIST_TEXTS } from './texts.js';

const t = ASSIST_TEXTS.de;
const HTML = 'text/html; charset=utf-8';
const config = { permission: 'assist' } as const;
const applyConfig = { permission: 'apply' } as const;

/** `q` as typed (a repeated parameter counts by its first value); blank means no search. */
const PageQuerySchema = z.object({
  q: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((q) => (Array.isArray(q) ? (q[0] ?? '') : (q ?? '')).trim()),
});

const ApiQuerySchema = z.object({ q: z.string().trim().min(1).max(MAX_QUERY_LENGTH) });

const FlowQuerySchema = z.object({ flow: z.string().max(100).optional() });

/** Registers the assist routes (absolute paths under /staff). */
export const assistRoutes: FastifyPluginAsync<StaffModuleOptions> = async (app, options) => {
  const { knowledge, registry, stores, issuer } = options;

  app.get('/staff', { config }, async (req, reply) => {
    const { q } = PageQuerySchema.parse(req.query ?? {});
    reply.type(HTML);
    if (!q) return renderSearchPage({ staff: req.staff, query: '' });
    if (q.length > MAX_QUERY_LENGTH) {
      return reply.code(400).send(
        renderSearchPage({
          staff: req.staff,
          query: q.slice(0, MAX_QUERY_LENGTH),
          error: t.queryTooLong(MAX_QUERY_LENGTH),
        }),
      );
    }
    const lookup = await lookUp(knowledge, registry, q);
    return renderSearchPage({ staff: req.staff, query: q, lookup });
  });

  app.get('/staff/api/search', { config }, async (req, reply) => {
    const parsed = ApiQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      return reply.code(400).send({
        error: {
          code: 'LOTSE_BAD_QUERY',
          message: `q (1–${MAX_QUERY_LENGTH} characters) is required`,
        },
      });
    }
    return lookUp(knowledge, registry, parsed.data.q);
  });

  app.get<{ Params: { id: string } }>('/staff/services/:id', { config }, async (req, reply) => {
    const service = knowledge.search.get(req.params.id);
    reply.type(HTML);
    if (!service) return reply.code(404).send(renderServiceNotFound(req.staff));
    return renderServicePage(req.staff, serviceCard(registry, service));
  });

  app.get('/staff/apply', { config: applyConfig }, async (req, reply) => {
    const parsed = FlowQuerySchema.safeParse(req.query);
    const id = parsed.success ? parsed.data.flow : undefined;
    const flow = id ? registry.get(id) : undefined;
    reply.type(HTML);
    if (!flow) {
      const unknown = !parsed.success || id !== undefined;
      return reply
        .code(unknown ? 404 : 200)
        .send(renderFlowList(req.staff, registry, knowledge, unknown));
    }
    return reply.header('content-security-policy', APPLY_CSP).send(renderFlowPage(req.staff, flow));
  });

  app.post(
    '/staff/api/apply/token',
    { config: applyConfig, bodyLimit: 1024 },
    applyTokenHandler({ transcripts: stores.transcripts, issuer }),
  );
};
