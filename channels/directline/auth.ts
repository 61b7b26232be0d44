/**
 * Who is calling: the holder of the Direct Line secret (the page's backend, trusted with every
 * conversation) or the holder of a token (a browser, trusted with one conversation). The order of
 * the checks gives Direct Line clients the statuses they act on: 401 when the credential is
 * missing or forged, 403 when it expired or belongs to another conversation, 404 when the
 * conversation does not exist.
 */
import type { FastifyRequest } from 'fastify';
import type { ConversationRecord, TranscriptStore } from '../../storage/types.js';
import { sameSecret } from '../secrets.js';
import { DirectLineErrors } from './errors.js';
import type { TokenClaims, TokenIssuer } from './tokens.js';

/** An authenticated caller. */
export type Principal = { kind: 'secret' } | { kind: 'token'; claims: TokenClaims };

/** The credential of `Authorization: Bearer <credential>`, if the header has that form. */
export function bearerCredential(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * Checks a credential against the secret (in constant time) and, failing that, as a token.
 * `allowSecret: false` is for credentials from URLs, which end up in logs and browser history:
 * there only a short-lived token is acceptable.
 */
export function authenticate(
  credential: string | undefined,
  secret: string,
  tokens: TokenIssuer,
  allowSecret = true,
): Principal {
  if (!credential) {
    throw DirectLineErrors.unauthorized('directline: an Authorization: Bearer header is required');
  }
  if (allowSecret && sameSecret(credential, secret)) return { kind: 'secret' };
  const check = tokens.verify(credential);
  if (check.ok) return { kind: 'token', claims: check.claims };
  if (check.reason === 'expired') throw DirectLineErrors.tokenExpired();
  throw DirectLineErrors.unauthorized('directline: the secret or token is not valid');
}

/** Refuses a token that was issued for a different conversation. */
export function assertConversationAccess(principal: Principal, conversationId: string): void {
  if (principal.kind === 'token' && principal.claims.conversationId !== conversationId) {
    throw DirectLineErrors.forbidden('directline: the token is for another conversation');
  }
}

/** Conversation ids we hand out are base64url; anything else cannot exist. */
const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Loads a conversation or fails with 404 ConversationNotFound. */
export async function loadConversation(
  transcripts: TranscriptStore,
  conversationId: string,
): Promise<ConversationRecord> {
  const record = CONVERSATION_ID.test(conversationId)
    ? await transcripts.getConversation(conversationId)
    : undefined;
  if (!record) throw DirectLineErrors.conversationNotFound(conversationId);
  return record;
}
