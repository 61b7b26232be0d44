/**
 * Direct Line tokens: what the browser holds instead of the secret. A token is bound to ONE
 * conversation (and its user), expires, and is verified without any lookup, so every instance
 * behind a load balancer accepts the tokens of every other one that shares the secret.
 *
 * Format: `base64url(JSON payload) "." base64url(HMAC-SHA256(key, first part))`. The key is
 * derived from the secret, so a token never exposes material that could be used as the secret.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { sameSecret } from '../secrets.js';

/** What a token proves: who may use which conversation until when. */
export interface TokenClaims {
  conversationId: string;
  userId?: string;
  /** Expiry in seconds since the epoch (as in JWT `exp`). */
  exp: number;
  kind: 'token';
}

/** A freshly issued token as the endpoints return it. */
export interface IssuedToken {
  token: string;
  /** Seconds until the token expires (Direct Line's `expires_in`). */
  expiresIn: number;
}

/** Why a token was refused; `expired` is a 403 for Direct Line clients, the others a 401. */
export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

/** Lifetime and clock of issued tokens. */
export interface TokenIssuerOptions {
  /** Lifetime of issued tokens in seconds. Default 1800 (Direct Line's 30 minutes). */
  ttlSeconds?: number;
  /** The clock in milliseconds since the epoch; tests pass a fake one. Default `Date.now`. */
  now?: () => number;
}

const ClaimsSchema = z.object({
  conversationId: z.string().min(1).max(200),
  userId: z.string().min(1).max(200).optional(),
  exp: z.number().int().positive(),
  kind: z.literal('token'),
});

/** Longer tokens are not ours; refusing them early bounds the work an attacker can cause. */
const MAX_TOKEN_LENGTH = 2048;
const KEY_CONTEXT = 'lotse/directline/token/v1';

/** Issues and verifies tokens with a key derived from the Direct Line secret. */
export class TokenIssuer {
  private readonly key: Buffer;
  private readonly ttlSeconds: number;
  private readonly now: () => number;

  constructor(secret: string, options: TokenIssuerOptions = {}) {
    if (secret.length === 0) throw new Error('directline tokens: the secret must not be empty');
    this.key = createHmac('sha256', secret).update(KEY_CONTEXT).digest();
    this.ttlSeconds = options.ttlSeconds ?? 1800;
    if (!Number.isSafeInteger(this.ttlSeconds) || this.ttlSeconds < 1) {
      throw new Error(
        `directline tokens: ttlSeconds must be a positive integer, got ${String(options.ttlSeconds)}`,
      );
    }
    this.now = options.now ?? Date.now;
  }

  /** A token for one conversation (and user, when known), valid for the configured lifetime. */
  issue(subject: { conversationId: string; userId?: string }): IssuedToken {
    const claims: TokenClaims = {
      conversationId: subject.conversationId,
      ...(subject.userId === undefined ? {} : { userId: subject.userId }),
      exp: this.nowSeconds() + this.ttlSeconds,
      kind: 'token',
    };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return {
      token: `${payload}.${this.sign(payload).toString('base64url')}`,
      expiresIn: this.ttlSeconds,
    };
  }

  /** Checks signature (in constant time), shape and expiry; never throws. */
  verify(token: string): TokenCheck {
    if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
    const parts = token.split('.');
    if (parts.length !== 2) return { ok: false, reason: 'malformed' };
    const [payload = '', signature = ''] = parts;
    if (!sameSecret(signature, this.sign(payload).toString('base64url'))) {
      return { ok: false, reason: 'bad-signature' };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const claims = ClaimsSchema.safeParse(parsed);
    if (!claims.success) return { ok: false, reason: 'malformed' };
    if (claims.data.exp <= this.nowSeconds()) return { ok: false, reason: 'expired' };
    return { ok: true, claims: claims.data };
  }

  private sign(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest();
  }

  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }
}
