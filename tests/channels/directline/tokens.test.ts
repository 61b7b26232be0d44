/**
 * Tokens are bound to one conversation, expire on the injected clock, and cannot be forged or
 * altered. (The constant-time comparison itself is tested in tests/channels/secrets.test.ts.)
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenIssuer } from '../../../channels/directline/tokens.js';

const SECRET = 'a-secret-of-sufficient-length';

function issuer(clock = { now: 1_700_000_000_000 }, ttlSeconds = 1800) {
  return { clock, tokens: new TokenIssuer(SECRET, { ttlSeconds, now: () => clock.now }) };
}

describe('TokenIssuer', () => {
  it('verifies the tokens it issued, with conversation and user', () => {
    const { tokens } = issuer();
    const { token, expiresIn } = tokens.issue({ conversationId: 'c1', userId: 'u1' });
    expect(expiresIn).toBe(1800);
    expect(tokens.verify(token)).toEqual({
      ok: true,
      claims: { conversationId: 'c1', userId: 'u1', exp: 1_700_000_000 + 1800, kind: 'token' },
    });
  });

  it('refuses a token once its lifetime has passed, and not a second before', () => {
    const { clock, tokens } = issuer();
    const { token } = tokens.issue({ conversationId: 'c1' });
    clock.now += 1799 * 1000;
    expect(tokens.verify(token).ok).toBe(true);
    clock.now += 1000;
    expect(tokens.verify(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a token whose payload was changed to another conversation', () => {
    const { tokens } = issuer();
    const { token } = tokens.issue({ conversationId: 'c1' });
    const [, signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ conversationId: 'c2', exp: 9_999_999_999, kind: 'token' }),
    ).toString('base64url');
    expect(tokens.verify(`${forged}.${signature}`)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses its own signature written in another form than the one it issued', () => {
    const { tokens } = issuer();
    const { token } = tokens.issue({ conversationId: 'c1' });
    // Base64 decoders accept padding and spaces; the signature is compared as issued, to the letter.
    expect(tokens.verify(`${token}=`)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(tokens.verify(`${token} `)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a token signed with another secret', () => {
    const { tokens } = issuer();
    const other = new TokenIssuer('another-secret-of-some-length');
    const { token } = other.issue({ conversationId: 'c1' });
    expect(tokens.verify(token)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it.each(['', 'abc', 'a.b.c', '.', 'x'.repeat(5000)])('treats %j as malformed', (token) => {
    const { tokens } = issuer();
    expect(tokens.verify(token).ok).toBe(false);
  });

  it('refuses a correctly signed payload that is not a token', () => {
    const { tokens } = issuer();
    // Sign as the issuer does (key derived from the secret), but with another kind.
    const key = createHmac('sha256', SECRET).update('lotse/directline/token/v1').digest();
    const payload = Buffer.from(
      JSON.stringify({ conversationId: 'c1', exp: 9_999_999_999, kind: 'refresh' }),
    ).toString('base64url');
    const signature = createHmac('sha256', key).update(payload).digest('base64url');
    expect(tokens.verify(`${payload}.${signature}`)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('rejects an empty secret and a non-positive lifetime', () => {
    expect(() => new TokenIssuer('')).toThrow(/secret/);
    expect(() => new TokenIssuer(SECRET, { ttlSeconds: 0 })).toThrow(/ttlSeconds/);
  });
});
