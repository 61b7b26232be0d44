/**
 * `POST /api/webchat/token`: how the web chat page gets a Direct Line token without ever seeing the
 * secret. A new visitor gets a new conversation plus a `resume` credential; the page keeps both in
 * sessionStorage, so after a reload or an expired token it asks for a fresh token for the same
 * conversation. The credential is an HMAC of the conversation id: it proves the page was given
 * that conversation, and it is useless for any other. Rate-limited per client address.
 */
import { createHmac, randomBytes } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { TokenIssuer } from '../directline/tokens.js';
import { sameSecret } from '../secrets.js';
import type { TranscriptStore } from '../../storage/types.js';

export interface WebChatTokenOptions {
  secret: string;
  issuer: TokenIssuer;
  transcripts: TranscriptStore;
  /** Token requests per minute and client address. */
  perMinute: number;
  /** Counts the requests in Redis, so several instances share one limit. */
  rateLimitStore?: Redis;
  now?: () => Date;
}

const BodySchema = z
  .object({
    conversationId: z.string().min(1).max(200).optional(),
    resume: z.string().min(1).max(200).optional(),
  })
  .strict();

function resumeKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('lotse/webchat/resume/v1').digest();
}

/** The resume credential of a conversation. */
export function resumeCredential(secret: string, conversationId: string): string {
  return createHmac('sha256', resumeKey(secret)).update(conversationId).digest('base64url');
}

function error(code: string, message: string) {
  return { error: { code, message } };
}

/** Registers the token endpoint for the web chat page. */
export async function webChatToken(
  app: FastifyInstance,
  options: WebChatTokenOptions,
): Promise<void> {
  const now = options.now ?? (() => new Date());
  await app.register(async (scope) => {
    await scope.register(rateLimit, {
      max: options.perMinute,
      timeWindow: 60_000,
      ...(options.rateLimitStore
        ? {
            redis: options.rateLimitStore,
            nameSpace: 'rate-limit:webchat-token:',
            // A Redis outage must not keep new visitors from starting a chat.
            skipOnError: true,
          }
        : {}),
      errorResponseBuilder: () => ({
        statusCode: 429,
        ...error('LOTSE_RATE_LIMITED', 'Too many token requests; please wait a minute.'),
      }),
    });
    scope.post('/api/webchat/token', { bodyLimit: 1024 }, async (req, reply) => {
      const parsed = BodySchema.safeParse(req.body ?? {});
      if (!parsed.success) {
        return reply
          .code(400)
          .send(error('LOTSE_BAD_REQUEST', 'expected {} or {conversationId, resume}'));
      }
      const { conversationId, resume } = parsed.data;
      if (conversationId || resume) {
        if (
          !conversationId ||
          !resume ||
          !sameSecret(resume, resumeCredential(options.secret, conversationId))
        ) {
          return reply
            .code(403)
            .send(error('LOTSE_FORBIDDEN', 'this credential does not open that conversation'));
        }
        const conversation = await options.transcripts.getConversation(conversationId);
        if (!conversation) {
          return reply
            .code(404)
            .send(error('LOTSE_NOT_FOUND', 'the conversation no longer exists'));
        }
        const userId = conversation.userId;
        const issued = options.issuer.issue({ conversationId, ...(userId ? { userId } : {}) });
        return {
          conversationId,
          userId,
          token: issued.token,
          expires_in: issued.expiresIn,
          resume,
        };
      }
      // The server names the user: a token speaks for exactly one user of one conversation.
      const id = randomBytes(16).toString('base64url');
      const userId = `web-${randomBytes(9).toString('base64url')}`;
      await options.transcripts.createConversation({ id, userId, createdAt: now().toISOString() });
      const issued = options.issuer.issue({ conversationId: id, userId });
      return {
        conversationId: id,
        userId,
        token: issued.token,
        expires_in: issued.expiresIn,
        resume: resumeCredential(options.secret, id),
      };
    });
  });
}
