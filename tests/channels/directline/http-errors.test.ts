/**
 * Authentication, authorisation and bad input on the REST endpoints: every refusal is a coded
 * `{ error: { code, message } }` with the status Direct Line clients act on, and the server keeps
 * answering afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { call, type Harness, SECRET, startConversation, startServer } from './harness.js';

let harness: Harness;

beforeEach(async () => {
  harness = await startServer();
});

afterEach(async () => {
  await harness.close();
});

function post(path: string, auth: string | undefined, json: unknown) {
  return call(`${harness.domain}${path}`, { method: 'POST', auth, json });
}

async function expectServerStillAnswers(): Promise<void> {
  const response = await post('/tokens/generate', SECRET, {});
  expect(response.status).toBe(200);
}

describe('authentication', () => {
  it('refuses a request without Authorization with 401 Unauthorized', async () => {
    const response = await post('/conversations', undefined, {});
    expect(response).toMatchObject({ status: 401, body: { error: { code: 'Unauthorized' } } });
  });

  it('refuses a forged token with 401', async () => {
    const { token } = await startConversation(harness);
    const [payload] = token.split('.');
    const response = await post('/conversations', `${payload}.AAAA`, {});
    expect(response).toMatchObject({ status: 401, body: { error: { code: 'Unauthorized' } } });
  });

  it('answers 403 TokenExpired once the token has expired', async () => {
    const { token, conversationId } = await startConversation(harness);
    harness.clock.now += 1800 * 1000;
    const response = await call(`${harness.domain}/conversations/${conversationId}/activities`, {
      auth: token,
    });
    expect(response).toMatchObject({ status: 403, body: { error: { code: 'TokenExpired' } } });
  });

  it('refuses the token of conversation A on conversation B with 403', async () => {
    const a = await startConversation(harness);
    const b = await startConversation(harness);
    const response = await post(`/conversations/${b.conversationId}/activities`, a.token, {
      type: 'message',
      text: 'hallo',
    });
    expect(response).toMatchObject({ status: 403, body: { error: { code: 'Forbidden' } } });
  });

  it('answers 404 ConversationNotFound for a conversation that does not exist', async () => {
    const response = await call(`${harness.domain}/conversations/nope/activities`, {
      auth: SECRET,
    });
    expect(response).toMatchObject({
      status: 404,
      body: { error: { code: 'ConversationNotFound' } },
    });
  });

  it('never accepts the secret in a stream URL', async () => {
    const { conversationId } = await startConversation(harness);
    const status = await upgradeStatus(
      `${harness.domain.replace('http', 'ws')}/conversations/${conversationId}/stream?t=${SECRET}`,
    );
    expect(status).toBe(401);
  });

  it('refuses a stream for an expired token with 403 before upgrading', async () => {
    const { conversationId, streamUrl } = await startConversation(harness);
    harness.clock.now += 1800 * 1000;
    expect(streamUrl).toContain(`/conversations/${conversationId}/stream?t=`);
    expect(await upgradeStatus(streamUrl)).toBe(403);
  });
});

describe('tokens', () => {
  it('generates tokens only for the secret holder', async () => {
    const { token } = await startConversation(harness);
    const response = await post('/tokens/generate', token, {});
    expect(response).toMatchObject({ status: 403, body: { error: { code: 'Forbidden' } } });
  });

  it('rejects user ids starting with dl_, which are reserved', async () => {
    const response = await post('/tokens/generate', SECRET, { user: { id: 'dl_x' } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'BadArgument' } });
    expect(JSON.stringify(response.body)).toContain('dl_');
  });

  it('refreshes a token for the same conversation, and the new one outlives the old', async () => {
    const { token, conversationId } = await startConversation(harness);
    harness.clock.now += 1000 * 1000;
    const refreshed = await call<{ token: string; conversationId: string; expires_in: number }>(
      `${harness.domain}/tokens/refresh`,
      { method: 'POST', auth: token },
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ conversationId, expires_in: 1800 });

    harness.clock.now += 1000 * 1000;
    const url = `${harness.domain}/conversations/${conversationId}/activities`;
    expect((await call(url, { auth: token })).status).toBe(403);
    expect((await call(url, { auth: refreshed.body.token })).status).toBe(200);
  });

  it('treats an empty body sent as application/json as no body', async () => {
    const response = await call(`${harness.domain}/tokens/generate`, {
      method: 'POST',
      auth: SECRET,
      headers: { 'content-type': 'application/json' },
      body: '',
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ expires_in: 1800 });
  });

  it('binds a token to the user it was generated for, whatever the client claims', async () => {
    const generated = await post('/tokens/generate', SECRET, { user: { id: 'anna' } });
    const token = (generated.body as { token: string }).token;
    const started = await post('/conversations', token, {});
    const { conversationId } = started.body as { conversationId: string };
    await post(`/conversations/${conversationId}/activities`, token, {
      type: 'message',
      text: 'ich bin jemand anderes',
      from: { id: 'mallory' },
    });
    const page = await call<{ activities: { text?: string; from?: { id: string } }[] }>(
      `${harness.domain}/conversations/${conversationId}/activities`,
      { auth: token },
    );
    const message = page.body.activities.find((a) => a.text === 'ich bin jemand anderes');
    expect(message?.from?.id).toBe('anna');
  });
});

describe('conversations', () => {
  it('starts a conversation with the secret (201) and returns a token bound to it', async () => {
    const started = await post('/conversations', SECRET, {});
    expect(started.status).toBe(201);
    const { conversationId, token, streamUrl } = started.body as Record<string, string>;
    expect(streamUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\//);
    const reconnect = await call(`${harness.domain}/conversations/${conversationId}?watermark=2`, {
      auth: token,
    });
    expect(reconnect.status).toBe(200);
    expect((reconnect.body as { streamUrl: string }).streamUrl).toContain('watermark=2');
  });

  it('pages activities after a watermark and returns the watermark as a string', async () => {
    const { conversationId, token } = await startConversation(harness);
    await post(`/conversations/${conversationId}/activities`, token, {
      type: 'message',
      text: 'a',
    });
    await harness.adapter.whenIdle();
    const url = `${harness.domain}/conversations/${conversationId}/activities`;
    const page = await call<{ activities: { text?: string }[]; watermark: string }>(
      `${url}?watermark=2`,
      { auth: token },
    );
    expect(page.body.watermark).toBe('4');
    expect(page.body.activities.map((a) => a.text)).toEqual(['a', 'echo: a']);
    const none = await call(`${url}?watermark=4`, { auth: token });
    expect(none.body).toEqual({ activities: [], watermark: '4' });
  });

  it('rejects a watermark that is not a number with 400', async () => {
    const { conversationId, token } = await startConversation(harness);
    const response = await call(
      `${harness.domain}/conversations/${conversationId}/activities?watermark=-1`,
      { auth: token },
    );
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'BadArgument' } } });
  });

  it('answers an unknown endpoint with a coded 404', async () => {
    const response = await call(`${harness.domain}/session/getsessionid`, { auth: SECRET });
    expect(response).toMatchObject({ status: 404, body: { error: { code: 'NotFound' } } });
  });
});

describe('bad activities', () => {
  it('rejects malformed JSON with 400 and keeps serving', async () => {
    const { conversationId, token } = await startConversation(harness);
    const response = await call(`${harness.domain}/conversations/${conversationId}/activities`, {
      method: 'POST',
      auth: token,
      headers: { 'content-type': 'application/json' },
      body: '{"type": "message", "text": ',
    });
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'BadArgument' } } });
    await expectServerStillAnswers();
  });

  it('rejects a body over maxActivityBytes with 413 and keeps serving', async () => {
    const { conversationId, token } = await startConversation(harness);
    const response = await post(`/conversations/${conversationId}/activities`, token, {
      type: 'message',
      text: 'x',
      value: 'y'.repeat(65 * 1024),
    });
    expect(response).toMatchObject({ status: 413, body: { error: { code: 'MessageSizeTooBig' } } });
    await expectServerStillAnswers();
  });

  it('rejects a text longer than 4000 characters with 400', async () => {
    const { conversationId, token } = await startConversation(harness);
    const response = await post(`/conversations/${conversationId}/activities`, token, {
      type: 'message',
      text: 'x'.repeat(4001),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('text');
  });

  it('rejects an activity type clients may not send with 400', async () => {
    const { conversationId, token } = await startConversation(harness);
    const response = await post(`/conversations/${conversationId}/activities`, token, {
      type: 'endOfConversation',
    });
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'BadArgument' } } });
  });

  it('rejects a prototype-polluting body with 400', async () => {
    const { conversationId, token } = await startConversation(harness);
    const response = await call(`${harness.domain}/conversations/${conversationId}/activities`, {
      method: 'POST',
      auth: token,
      headers: { 'content-type': 'application/json' },
      body: '{"type":"message","text":"x","__proto__":{"polluted":true}}',
    });
    expect(response.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => {
      socket.close();
      reject(new Error('the stream was opened'));
    });
    socket.on('error', () => undefined);
  });
}
