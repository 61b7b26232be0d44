/**
 * `POST /api/webchat/token`, the web chat page's way to a Direct Line token: a new conversation
 * for `{}`, a fresh token for `{conversationId, resume}`, and the refusals (403, 404, 400, 429).
 */
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenIssuer } from '../../../channels/directline/tokens.js';
import { resumeCredential, webChatToken } from '../../../channels/webchat/token-route.js';
import { MemoryTranscripts } from '../directline/memory-transcripts.js';

const SECRET = 'token-route-secret-0123456789abcdef';
const TTL_SECONDS = 600;
const NOW = new Date('2025-01-06T09:00:00Z');

interface TokenBody {
  conversationId: string;
  userId: string;
  token: string;
  expires_in: number;
  resume: string;
}

interface Route {
  app: FastifyInstance;
  issuer: TokenIssuer;
  transcripts: MemoryTranscripts;
  post(payload: unknown, remoteAddress?: string): Promise<LightMyRequestResponse>;
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function route(perMinute = 100): Promise<Route> {
  const app = Fastify({ logger: false });
  apps.push(app);
  const issuer = new TokenIssuer(SECRET, { ttlSeconds: TTL_SECONDS, now: () => NOW.getTime() });
  const transcripts = new MemoryTranscripts();
  await app.register(webChatToken, {
    secret: SECRET,
    issuer,
    transcripts,
    perMinute,
    now: () => NOW,
  });
  return {
    app,
    issuer,
    transcripts,
    post: (payload, remoteAddress = '127.0.0.1') =>
      app.inject({
        method: 'POST',
        url: '/api/webchat/token',
        remoteAddress,
        ...(typeof payload === 'string'
          ? { payload, headers: { 'content-type': 'application/json' } }
          : { payload: payload as object }),
      }),
  };
}

async function newConversation(r: Route): Promise<TokenBody> {
  const res = await r.post({});
  expect(res.statusCode).toBe(200);
  return res.json<TokenBody>();
}

describe('POST /api/webchat/token', () => {
  it('starts a new conversation for an empty body, with a token for its user and a resume credential', async () => {
    const r = await route();
    const body = await newConversation(r);
    expect(body.userId).toMatch(/^web-/);
    expect(body.expires_in).toBe(TTL_SECONDS);
    expect(body.resume).toBe(resumeCredential(SECRET, body.conversationId));
    const check = r.issuer.verify(body.token);
    expect(check).toMatchObject({
      ok: true,
      claims: { conversationId: body.conversationId, userId: body.userId },
    });
    expect(await r.transcripts.getConversation(body.conversationId)).toMatchObject({
      id: body.conversationId,
      userId: body.userId,
      createdAt: NOW.toISOString(),
    });
  });

  it('gives every new visitor a conversation and user of their own', async () => {
    const r = await route();
    const [a, b] = [await newConversation(r), await newConversation(r)];
    expect(a.conversationId).not.toBe(b.conversationId);
    expect(a.userId).not.toBe(b.userId);
    expect(a.resume).not.toBe(b.resume);
  });

  it('resumes a conversation with its credential: same conversation and user, a valid token', async () => {
    const r = await route();
    const first = await newConversation(r);
    const res = await r.post({ conversationId: first.conversationId, resume: first.resume });
    expect(res.statusCode).toBe(200);
    const resumed = res.json<TokenBody>();
    expect(resumed).toMatchObject({
      conversationId: first.conversationId,
      userId: first.userId,
      resume: first.resume,
      expires_in: TTL_SECONDS,
    });
    expect(r.issuer.verify(resumed.token)).toMatchObject({
      ok: true,
      claims: { conversationId: first.conversationId, userId: first.userId },
    });
    expect(r.transcripts.conversations.size).toBe(1);
  });

  it("refuses with 403 another conversation's credential, a forged one, or an id without one", async () => {
    const r = await route();
    const mine = await newConversation(r);
    const theirs = await newConversation(r);
    const forged = `${mine.resume.slice(0, -1)}${mine.resume.endsWith('A') ? 'B' : 'A'}`;
    for (const payload of [
      { conversationId: theirs.conversationId, resume: mine.resume },
      { conversationId: mine.conversationId, resume: forged },
      { conversationId: mine.conversationId, resume: 'short' },
      { conversationId: mine.conversationId },
      { resume: mine.resume },
    ]) {
      const res = await r.post(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(403);
      expect(res.json().error.code).toBe('LOTSE_FORBIDDEN');
      expect(res.body).not.toContain('token');
    }
  });

  it('answers 404 for a conversation that does not exist, even with its correct credential', async () => {
    const r = await route();
    const conversationId = 'no-such-conversation';
    const res = await r.post({ conversationId, resume: resumeCredential(SECRET, conversationId) });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('LOTSE_NOT_FOUND');
  });

  it('rejects malformed bodies with 400', async () => {
    const r = await route();
    const { conversationId, resume } = await newConversation(r);
    for (const payload of [
      { conversationId, resume, extra: true },
      { conversationId: 42, resume },
      { conversationId, resume: ['a'] },
      { conversationId: '', resume },
      { conversationId: 'x'.repeat(201), resume },
      [conversationId, resume],
    ]) {
      const res = await r.post(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('LOTSE_BAD_REQUEST');
    }
    // Not JSON at all: fastify's parser refuses it before the route runs.
    expect((await r.post('{"conversationId":')).statusCode).toBe(400);
  });

  it('limits token requests per client address and minute with 429', async () => {
    const r = await route(3);
    for (let i = 0; i < 3; i++) expect((await r.post({})).statusCode).toBe(200);
    const limited = await r.post({});
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('LOTSE_RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Resuming counts too, and other addresses keep their own budget.
    expect((await r.post({ conversationId: 'x', resume: 'y' })).statusCode).toBe(429);
    expect((await r.post({}, '127.0.0.2')).statusCode).toBe(200);
  });
});
