/**
 * Starting, resuming and talking in a conversation: `POST /conversations`,
 * `GET /conversations/:id` (reconnect), and the activities endpoints for sending and polling.
 */
import type { Activity } from 'botbuilder';
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { ConversationRecord } from '../../storage/types.js';
import { authenticate, bearerCredential, loadConversation, type Principal } from './auth.js';
import {
  authoriseConversation,
  channelFields,
  createConversation,
  type DirectLineContext,
  greetOnce,
  startTurn,
  streamUrl,
} from './context.js';
import { DirectLineErrors } from './errors.js';
import { IncomingActivitySchema, parseOrThrow, StartBodySchema } from './schemas.js';
import { parseWatermark, readPage } from './transcript-pages.js';

/** What `POST /conversations` and `GET /conversations/:id` answer (Direct Line's field names). */
export interface ConversationResponse {
  conversationId: string;
  token: string;
  expires_in: number;
  streamUrl: string;
}

interface ConversationRoute {
  Params: { id: string };
  Querystring: { watermark?: unknown };
}

/** Adds the conversation and activity endpoints to the plugin's (prefixed) instance. */
export function registerConversationRoutes(app: FastifyInstance, ctx: DirectLineContext): void {
  const small = { bodyLimit: ctx.maxActivityBytes };

  app.post('/conversations', small, async (request, reply) => {
    const principal = authenticate(bearerCredential(request), ctx.secret, ctx.tokens);
    const body = parseOrThrow(StartBodySchema, request.body, 'conversation request');
    const conversation =
      principal.kind === 'token'
        ? await loadConversation(ctx.transcripts, principal.claims.conversationId)
        : await createConversation(ctx, body?.user?.id);
    const issued = ctx.tokens.issue({
      conversationId: conversation.id,
      userId: boundUser(principal, conversation),
    });
    await greetOnce(ctx, request, conversation, body?.locale);
    const response: ConversationResponse = {
      conversationId: conversation.id,
      token: issued.token,
      expires_in: issued.expiresIn,
      streamUrl: streamUrl(ctx, request, conversation.id, issued.token),
    };
    return reply.code(principal.kind === 'secret' ? 201 : 200).send(response);
  });

  app.get<ConversationRoute>('/conversations/:id', async (request) => {
    const { principal, conversation } = await authoriseConversation(
      ctx,
      request,
      request.params.id,
    );
    const watermark = watermarkOf(request.query.watermark);
    // A page that got its token with a conversation id (a backend resuming or starting a chat)
    // lets directlinejs "reconnect" without ever posting /conversations; greet it here then.
    await greetOnce(ctx, request, conversation, undefined);
    const issued = ctx.tokens.issue({
      conversationId: conversation.id,
      userId: boundUser(principal, conversation),
    });
    const response: ConversationResponse = {
      conversationId: conversation.id,
      token: issued.token,
      expires_in: issued.expiresIn,
      streamUrl: streamUrl(
        ctx,
        request,
        conversation.id,
        issued.token,
        watermark > 0 ? String(watermark) : undefined,
      ),
    };
    return response;
  });

  app.get<ConversationRoute>('/conversations/:id/activities', async (request) => {
    await authoriseConversation(ctx, request, request.params.id);
    const page = await readPage(
      ctx.transcripts,
      request.params.id,
      watermarkOf(request.query.watermark),
    );
    return { activities: page.activities, watermark: String(page.watermark) };
  });

  app.post<ConversationRoute>('/conversations/:id/activities', small, async (request) => {
    const { principal, conversation } = await authoriseConversation(
      ctx,
      request,
      request.params.id,
    );
    const body = parseOrThrow(IncomingActivitySchema, request.body, 'activity');
    const { from, attachments: _none, ...fields } = body;
    const userId = senderId(principal, conversation, from?.id);
    if (body.type === 'typing') {
      // Typing indicators are neither stored nor worth a bot turn; acknowledge and move on.
      return { id: `${conversation.id}|typing-${randomBytes(6).toString('hex')}` };
    }
    // The client's fields as sent (its `localTimestamp` stays a string), the channel's on top.
    const recorded = await ctx.adapter.record({
      ...(fields as Partial<Activity>),
      ...channelFields(ctx, request, conversation.id, { id: userId, name: from?.name }),
    });
    startTurn(ctx, recorded.activity);
    return { id: recorded.id };
  });
}

/** The user a token is bound to: the token's own user, else the conversation's. */
export function boundUser(
  principal: Principal,
  conversation: ConversationRecord,
): string | undefined {
  return principal.kind === 'token'
    ? (principal.claims.userId ?? conversation.userId)
    : conversation.userId;
}

/**
 * Who sent an activity. A token's user is authoritative (a browser cannot speak as someone
 * else); the secret holder may name the sender, defaulting to the conversation's user.
 */
export function senderId(
  principal: Principal,
  conversation: ConversationRecord,
  claimed: string | undefined,
): string {
  const id =
    principal.kind === 'token'
      ? boundUser(principal, conversation)
      : claimed || conversation.userId;
  if (!id) throw DirectLineErrors.badArgument('directline: from.id is required');
  return id;
}

/** The watermark of a query, or a 400. */
export function watermarkOf(value: unknown): number {
  const watermark = parseWatermark(value);
  if (watermark === undefined) {
    throw DirectLineErrors.badArgument('directline: watermark must be a non-negative integer');
  }
  return watermark;
}
