import type { KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startBotServer, messageActivity, type BotServer } from './helpers/bot-server.js';
import {
  channelClaims,
  newRsaKey,
  startTokenIssuer,
  type TokenIssuer,
} from './helpers/token-issuer.js';

// Outbound replies with an app password need a token from login.microsoftonline.com, which these
// machines cannot reach; authenticated turns therefore use expectReplies, answered in the body.
const APP_ID = '6f1f2c55-1a7e-4f7b-9a53-lotse-test';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';

describe('POST /api/messages with an app id', () => {
  let issuer: TokenIssuer;
  let server: BotServer;
  let otherKey: KeyObject;

  const expectReplies = (overrides: Record<string, unknown> = {}) =>
    messageActivity(SERVICE_URL, { deliveryMode: 'expectReplies', ...overrides });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  async function expectUnauthorized(res: Response): Promise<void> {
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toEqual({
      error: {
        code: 'LOTSE_UNAUTHORIZED',
        message: 'bot-framework: the request does not carry a valid Bot Framework token',
      },
    });
  }

  beforeAll(async () => {
    // botbuilder prints rejected tokens with console.error; keep the test output readable.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    issuer = await startTokenIssuer(['msteams', 'webchat']);
    otherKey = newRsaKey().privateKey;
    server = await startBotServer({
      appId: APP_ID,
      appPassword: 'not-used-by-expect-replies',
      openIdMetadataUrl: issuer.metadataUrl,
    });
  });
  afterAll(async () => {
    await server.close();
    await issuer.close();
    vi.restoreAllMocks();
  });

  it('runs the turn for a valid channel token and returns the replies', async () => {
    const token = issuer.sign(channelClaims(APP_ID, SERVICE_URL));
    const res = await server.post(expectReplies({ text: 'Wohngeld' }), bearer(token));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { activities: Array<{ text: string }> };
    expect(body.activities.map((a) => a.text)).toEqual(['echo: Wohngeld']);
  });

  it('refuses a request without an Authorization header', async () => {
    await expectUnauthorized(await server.post(expectReplies()));
  });

  it('refuses a header that is not a bearer token', async () => {
    await expectUnauthorized(await server.post(expectReplies(), { authorization: 'Bearer x.y.z' }));
    await expectUnauthorized(await server.post(expectReplies(), { authorization: 'Basic abc' }));
  });

  it('refuses a token signed by another key under the published key id with 401, not 500', async () => {
    const forged = issuer.sign(channelClaims(APP_ID, SERVICE_URL), {
      privateKey: otherKey,
    });
    await expectUnauthorized(await server.post(expectReplies(), bearer(forged)));
  });

  it('refuses a token signed by a key the metadata does not publish', async () => {
    const forged = issuer.sign(channelClaims(APP_ID, SERVICE_URL), {
      privateKey: otherKey,
      kid: 'unknown-key',
    });
    await expectUnauthorized(await server.post(expectReplies(), bearer(forged)));
  });

  it('refuses an expired token beyond the five-minute clock tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { ...channelClaims(APP_ID, SERVICE_URL, now - 7200), exp: now - 400 };
    await expectUnauthorized(await server.post(expectReplies(), bearer(issuer.sign(claims))));
  });

  it('refuses a token that is not valid yet with 401, not 500', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { ...channelClaims(APP_ID, SERVICE_URL), nbf: now + 3600 };
    await expectUnauthorized(await server.post(expectReplies(), bearer(issuer.sign(claims))));
  });

  it('refuses a token issued for another app id', async () => {
    const token = issuer.sign(channelClaims('another-bot', SERVICE_URL));
    await expectUnauthorized(await server.post(expectReplies(), bearer(token)));
  });

  it('refuses a token from another issuer', async () => {
    const claims = { ...channelClaims(APP_ID, SERVICE_URL), iss: 'https://evil.example' };
    await expectUnauthorized(await server.post(expectReplies(), bearer(issuer.sign(claims))));
  });

  it('refuses a token whose serviceurl claim differs from the activity', async () => {
    const token = issuer.sign(channelClaims(APP_ID, 'https://evil.example/'));
    await expectUnauthorized(await server.post(expectReplies(), bearer(token)));
  });

  it('refuses an activity from a channel the signing key does not endorse', async () => {
    const token = issuer.sign(channelClaims(APP_ID, SERVICE_URL));
    const res = await server.post(expectReplies({ channelId: 'telegram' }), bearer(token));
    await expectUnauthorized(res);
  });

  it('logs why a request was refused, without the token', async () => {
    const token = issuer.sign(channelClaims('another-bot', SERVICE_URL));
    const before = server.logs.length;
    await server.post(expectReplies(), bearer(token));
    const lines = server.logs.slice(before);
    expect(lines).toContainEqual(
      expect.objectContaining({
        code: 'LOTSE_UNAUTHORIZED',
        msg: 'bot-framework: request refused',
      }),
    );
    expect(JSON.stringify(lines)).not.toContain(token);
  });
});

describe('POST /api/messages when the signing keys cannot be loaded', () => {
  it('answers 503 so the channel retries, instead of blaming the token', async () => {
    const issuer = await startTokenIssuer(['msteams']);
    const metadataUrl = issuer.metadataUrl;
    const token = issuer.sign(channelClaims(APP_ID, SERVICE_URL));
    await issuer.close();
    const server = await startBotServer({ appId: APP_ID, openIdMetadataUrl: metadataUrl });
    try {
      const res = await server.post(
        messageActivity(SERVICE_URL, { deliveryMode: 'expectReplies' }),
        { authorization: `Bearer ${token}` },
      );
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'LOTSE_AUTH_UNAVAILABLE',
      );
    } finally {
      await server.close();
    }
  });
});
