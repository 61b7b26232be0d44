/**
 * An application from the web chat to the authority and back, through the real server: a
 * Bewohnerparkausweis over Direct Line, the receipt, delivery by the dispatcher to a signed-webhook
 * receiver this test runs (which verifies the signature), and the office's signed status callback
 * arriving in the citizen's chat.
 */
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../channels/config.js';
import { buildServer, type LotseServer } from '../../channels/server.js';
import { signWebhook, verifyWebhookSignature } from '../../flows/connectors/webhook-signature.js';
import { openKnowledge } from '../../knowledge/knowledge-base.js';
import { openStores, type Stores } from '../../storage/open-store.js';
import { tempDir } from '../knowledge/fixtures.js';

const SECRET = 'webhook-secret-0123456789';
const CALLBACK_SECRET = 'callback-secret-0123456789';
const received: { body: string; verified: boolean; key: string | undefined }[] = [];
let receiver: Server;
let server: LotseServer;
let stores: Stores;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const check = verifyWebhookSignature(SECRET, body, req.headers, new Date());
      received.push({
        body,
        verified: check.ok,
        key: req.headers['idempotency-key'] as string | undefined,
      });
      res
        .writeHead(check.ok ? 200 : 401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ reference: 'FV-4711' }));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address() as { port: number };
  const dataDir = tempDir();
  const backends = join(dataDir, 'backends.json');
  writeFileSync(
    backends,
    JSON.stringify({
      bewohnerparkausweis: {
        type: 'webhook',
        url: `http://127.0.0.1:${address.port}/in`,
        secret: SECRET,
      },
    }),
  );
  const config = loadConfig({
    LOTSE_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    LOTSE_BACKENDS_FILE: backends,
    LOTSE_CALLBACK_SECRETS: CALLBACK_SECRET,
  });
  stores = await openStores({ dataDir });
  server = await buildServer({
    config,
    knowledge: await openKnowledge({ dataDir }),
    stores,
    directLineSecret: 'directline-secret-0123456789-abcdef',
  });
  await server.app.ready();
});
afterAll(async () => {
  await server.app.close();
  await stores.close();
  receiver.close();
});

describe('an application from the chat to the office', () => {
  it('is confirmed with a receipt, delivered signed exactly once, and the office’s answer reaches the chat', async () => {
    const { token, conversationId } = (
      await server.app.inject({ method: 'POST', url: '/api/webchat/token', payload: {} })
    ).json();
    const headers = { authorization: `Bearer ${token}` };
    const url = `/v3/directline/conversations/${conversationId}/activities`;
    const say = async (text: string, value?: unknown) => {
      const res = await server.app.inject({
        method: 'POST',
        url,
        headers,
        payload: { type: 'message', from: { id: 'x' }, text, ...(value ? { value } : {}) },
      });
      expect(res.statusCode).toBe(200);
      await server.directLineAdapter.whenIdle();
    };
    const transcript = async () =>
      (
        (await server.app.inject({ url: `${url}?watermark=0`, headers })).json().activities as {
          text?: string;
          from: { role?: string };
        }[]
      )
        .filter((a) => a.from.role === 'bot')
        .map((a) => a.text ?? '')
        .join('\n');

    for (const text of [
      'Ich möchte einen Bewohnerparkausweis beantragen',
      'Erika Muster',
      'Hauptstraße 5, 80331 München',
      'M-AB 1234',
      'ja',
      '24',
    ])
      await say(text);
    await say('Absenden', { flowAction: 'submit' });
    const receipt = /\*\*(LT-[0-9A-Z-]+)\*\*/.exec(await transcript())?.[1];
    expect(receipt).toBeDefined();

    expect(await server.dispatcher.runOnce()).toBe(1);
    expect(received).toHaveLength(1);
    expect(received[0]!.verified).toBe(true);
    expect(JSON.parse(received[0]!.body)).toMatchObject({
      receipt,
      payload: { validityMonths: 24, fee: '24 Monate gültig: 60 Euro' },
    });
    expect(await stores.outbox.get(receipt!)).toMatchObject({
      status: 'delivered',
      backendReference: 'FV-4711',
    });
    expect(await server.dispatcher.runOnce()).toBe(0);

    const callback = JSON.stringify({
      receipt,
      status: 'completed',
      message: 'Der Ausweis kommt per Post.',
    });
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/submissions/status',
      headers: {
        'content-type': 'application/json',
        ...signWebhook(CALLBACK_SECRET, callback, new Date()),
      },
      payload: callback,
    });
    expect(res.statusCode).toBe(200);
    await server.directLineAdapter.whenIdle();
    const chat = await transcript();
    expect(chat).toContain(`Ihr Antrag ${receipt} wurde an die zuständige Stelle übermittelt.`);
    expect(chat).toContain(`Gute Nachricht: Ihr Antrag ${receipt} ist erledigt.`);
    expect(chat).toContain('Der Ausweis kommt per Post.');
  });

  it('refuses an unsigned status callback', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/submissions/status',
      headers: { 'content-type': 'application/json' },
      payload: '{"receipt":"LT-1","status":"completed"}',
    });
    expect(res.statusCode).toBe(401);
  });
});
