/**
 * `POST /staff/api/apply/token`: a Direct Line token for a conversation staff run on a caller's
 * behalf. A new conversation is recorded with `enteredBy` (the staff member), which is how the
 * bot knows to mark the submission as entered by staff and to offer no saved profile; its user
 * id is a fresh `staff-…` id, so no citizen's profile is ever tied to it. With `{conversationId}`
 * the page renews the token of a conversation the same staff member started (after a reload or
 * before the token expires); nobody else's conversation can be opened this way.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { TokenIssuer } from '../../directline/tokens.js';
import type { TranscriptStore } from '../../../storage/types.js';

/** The answer, in Direct Line's field names, as the citizens' token endpoint gives it. */
export interface ApplyTokenResponse {
  conversationId: string;
  token: string;
  userId: string;
  expires_in: number;
}

const BodySchema = z
  .object({ conversationId: z.string().min(1).max(200).optional() })
  .strict()
  .optional();

function error(code: string, message: string) {
  return { error: { code, message } };
}

export interface ApplyTokenDependencies {
  transcripts: TranscriptStore;
  issuer: TokenIssuer;
  now?: () => Date;
}

/**
 * The route handler. The console's auth layer has already checked the session, the `apply`
 * permission and the CSRF header; without a session (registered outside that layer) it refuses.
 */
export function applyTokenHandler(deps: ApplyTokenDependencies) {
  const now = deps.now ?? (() => new Date());
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const staff = req.staff;
    if (!staff) return reply.code(401).send(error('LOTSE_STAFF_UNAUTHENTICATED', 'please log in'));
    const parsed = BodySchema.safeParse(req.body ?? undefined);
    if (!parsed.success) {
      return reply.code(400).send(error('LOTSE_BAD_REQUEST', 'expected {} or {conversationId}'));
    }
    const known = parsed.data?.conversationId;
    if (known) {
      const conversation = await deps.transcripts.getConversation(known);
      if (!conversation || !conversation.userId) {
        return reply.code(404).send(error('LOTSE_NOT_FOUND', 'the conversation no longer exists'));
      }
      if (conversation.enteredBy !== staff.username) {
        return reply
          .code(403)
          .send(error('LOTSE_STAFF_FORBIDDEN', 'this conversation was not started by you'));
      }
      const issued = deps.issuer.issue({ conversationId: known, userId: conversation.userId });
      const renewed: ApplyTokenResponse = {
        conversationId: known,
        token: issued.token,
        userId: conversation.userId,
        expires_in: issued.expiresIn,
      };
      return renewed;
    }
    const conversationId = randomBytes(16).toString('base64url');
    const userId = `staff-${randomBytes(9).toString('base64url')}`;
    await deps.transcripts.createConversation({
      id: conversationId,
      userId,
      enteredBy: staff.username,
      createdAt: now().toISOString(),
    });
    const issued = deps.issuer.issue({ conversationId, userId });
    const created: ApplyTokenResponse = {
      conversationId,
      token: issued.token,
      userId,
      expires_in: issued.expiresIn,
    };
    return created;
  };
}
