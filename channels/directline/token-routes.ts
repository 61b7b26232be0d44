/**
 * `POST /tokens/generate` and `POST /tokens/refresh`. The page's backend trades the secret for a
 * token bound to a new conversation, so the secret never reaches a browser; the browser renews
 * its token before it expires (directlinejs does so every 15 minutes).
 */
import type { FastifyInstance } from 'fastify';
import { authenticate, bearerCredential, loadConversation } from './auth.js';
import { createConversation, type DirectLineContext } from './context.js';
import { DirectLineErrors } from './errors.js';
import { parseOrThrow, StartBodySchema } from './schemas.js';

/** The answer of both token endpoints (Direct Line's field names). */
export interface TokenResponse {
  conversationId: string;
  token: string;
  expires_in: number;
}

/** Adds the token endpoints to the plugin's (prefixed) instance. */
export function registerTokenRoutes(app: FastifyInstance, ctx: DirectLineContext): void {
  app.post('/tokens/generate', { bodyLimit: ctx.maxActivityBytes }, async (request) => {
    const principal = authenticate(bearerCredential(request), ctx.secret, ctx.tokens);
    if (principal.kind !== 'secret') {
      throw DirectLineErrors.forbidden('directline: tokens/generate needs the secret, not a token');
    }
    const body = parseOrThrow(StartBodySchema, request.body, 'token request');
    const conversation = await createConversation(ctx, body?.user?.id);
    const issued = ctx.tokens.issue({
      conversationId: conversation.id,
      userId: conversation.userId,
    });
    const response: TokenResponse = {
      conversationId: conversation.id,
      token: issued.token,
      expires_in: issued.expiresIn,
    };
    return response;
  });

  app.post('/tokens/refresh', { bodyLimit: ctx.maxActivityBytes }, async (request) => {
    const principal = authenticate(bearerCredential(request), ctx.secret, ctx.tokens);
    if (principal.kind !== 'token') {
      throw DirectLineErrors.badArgument(
        'directline: tokens/refresh needs a token; the secret does not expire',
      );
    }
    const { conversationId, userId } = principal.claims;
    await loadConversation(ctx.transcripts, conversationId);
    const issued = ctx.tokens.issue({ conversationId, userId });
    const response: TokenResponse = {
      conversationId,
      token: issued.token,
      expires_in: issued.expiresIn,
    };
    return response;
  });
}
