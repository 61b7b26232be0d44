/**
 * `POST /api/submissions/status`: where the office's system reports what became of a submission
 * (received, in progress, completed, rejected). The body is signed like Lotse's own webhooks, so
 * the route reads it raw and lets `StatusCallbackHandler` check the signature before anything else.
 */
import type { FastifyInstance } from 'fastify';
import {
  StatusCallbackHandler,
  type StatusCallbackOptions,
} from '../flows/outbox/status-callback.js';

export async function statusCallbackRoute(
  app: FastifyInstance,
  options: Pick<StatusCallbackOptions, 'outbox' | 'secrets' | 'onStatus'>,
): Promise<void> {
  const handler = new StatusCallbackHandler({ ...options, logger: app.log });
  await app.register(async (scope) => {
    // The signature covers the exact bytes: keep the body as received.
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_req, body, done) => done(null, body),
    );
    scope.post('/api/submissions/status', async (req, reply) => {
      const result = await handler.handle(
        typeof req.body === 'string' ? req.body : '',
        req.headers,
      );
      if (result.ok) return reply.code(200).send({ status: 'ok' });
      return reply
        .code(result.httpStatus)
        .send({ error: { code: result.code, message: result.message } });
    });
  });
}
