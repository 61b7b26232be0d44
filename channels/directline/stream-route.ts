/**
 * `GET /conversations/:id/stream`: the WebSocket a `streamUrl` points to. Browsers cannot set
 * headers on a WebSocket, so the token travels in the `t` query parameter (an Authorization
 * header works too). Authorisation happens before the upgrade, so a refused client gets a plain
 * HTTP 401/403/404 and directlinejs reacts as it does to Azure.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authoriseConversation, type DirectLineContext } from './context.js';
import { watermarkOf } from './conversation-routes.js';
import { DirectLineErrors } from './errors.js';
import { readPage } from './transcript-pages.js';

interface StreamRoute {
  Params: { id: string };
  Querystring: { watermark?: unknown; t?: unknown };
}

/** Adds the WebSocket stream endpoint (authorised before the upgrade). */
export function registerStreamRoute(app: FastifyInstance, ctx: DirectLineContext): void {
  const watermarks = new WeakMap<FastifyRequest, number>();

  app.route<StreamRoute>({
    method: 'GET',
    url: '/conversations/:id/stream',
    preValidation: async (request) => {
      const token = typeof request.query.t === 'string' ? request.query.t : undefined;
      await authoriseConversation(ctx, request, request.params.id, token);
      watermarks.set(request, watermarkOf(request.query.watermark));
    },
    handler: async () => {
      throw DirectLineErrors.badArgument('directline: the stream needs a WebSocket upgrade');
    },
    wsHandler: async (socket, request) => {
      const conversationId = request.params.id;
      await ctx.adapter.streams.attach(
        conversationId,
        socket,
        watermarks.get(request) ?? 0,
        (after) => readPage(ctx.transcripts, conversationId, after),
      );
    },
  });
}
