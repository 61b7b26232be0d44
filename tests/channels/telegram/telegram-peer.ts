/**
 * telegram-test-api as Telegram for tests, with the two things it lacks added in front of it:
 *
 * - Webhook delivery as Telegram does it: telegram-test-api posts updates to the URL given to
 *   `setWebhook` but without the `X-Telegram-Bot-Api-Secret-Token` header, so a relay here
 *   receives its posts and hands them to the Lotse app (fastify `inject`) with the `secret_token`
 *   Lotse registered — a wrong or missing registration fails the test like it would fail live.
 * - Media: `getFile` and file downloads are served by a `BotApiPeer`; everything else goes to
 *   telegram-test-api.
 *
 * Use `apiBase` as Lotse's `LOTSE_TELEGRAM_API_BASE` and `publicUrl` as its public URL.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import type { TelegramClient as TestUser } from 'telegram-test-api/lib/modules/telegramClient.js';
import { BotApiPeer } from './bot-api-peer.js';

export type { TestUser };

export interface TelegramPeer {
  /** The telegram-test-api server (`waitUserMessage()`, `waitBotMessage()`, `storage`). */
  server: TelegramServer;
  /** The Bot API base URL for Lotse's TelegramClient. */
  apiBase: string;
  /** Lotse's public URL as this Telegram reaches it; `startTelegram` registers the webhook. */
  publicUrl: string;
  /** Serves `getFile` and downloads: `media.addFile(id, bytes)` before sending a photo. */
  media: BotApiPeer;
  /**
   * Runs `send` (a user's `sendMessage`/`sendCommand`/`sendCallback`) and resolves once Lotse's
   * webhook accepted the update; rejects with the status and body when it refused it. Then
   * `await adapter.whenIdle()` for the turn itself.
   */
  deliver(send: () => Promise<unknown>): Promise<void>;
  /** A Telegram user writing to the bot (telegram-test-api's client). */
  user(options?: { userId?: number; firstName?: string }): TestUser;
  stop(): Promise<void>;
}

export async function startTelegramPeer(
  token: string,
  app: FastifyInstance,
): Promise<TelegramPeer> {
  const server = new TelegramServer({ port: await freePort(), host: '127.0.0.1' });
  await server.start();
  const media = new BotApiPeer(token);
  const mediaBase = await media.start();
  const webhooks = (
    server as unknown as { webhooks: Record<string, { url: string; secret_token?: string }> }
  ).webhooks;

  // Each relayed webhook call settles the oldest waiting `deliver`.
  const waiting: { resolve: () => void; reject: (error: Error) => void }[] = [];

  const front: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = req.url ?? '/';
      if (req.method === 'POST' && path === '/channels/telegram') {
        const secret = webhooks[token]?.secret_token;
        const answer = await app.inject({
          method: 'POST',
          url: path,
          headers: {
            'content-type': 'application/json',
            ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}),
          },
          payload: body,
        });
        const waiter = waiting.shift();
        if (answer.statusCode >= 200 && answer.statusCode < 300) waiter?.resolve();
        else waiter?.reject(new Error(`webhook answered ${answer.statusCode}: ${answer.body}`));
        // telegram-test-api does not await its webhook calls: an error status would surface as
        // an unhandled rejection there, so the failure is reported through `deliver` instead.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(answer.body);
        return;
      }
      const toMedia = path === `/bot${token}/getFile` || path.startsWith('/file/');
      const target = `${toMedia ? mediaBase : server.config.apiURL}${path}`;
      const answer = await fetch(target, {
        method: req.method ?? 'GET',
        headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
        ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body }),
      });
      res.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'application/json',
      });
      res.end(Buffer.from(await answer.arrayBuffer()));
    })().catch((error: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;

  return {
    server,
    apiBase: origin,
    publicUrl: origin,
    media,
    async deliver(send) {
      const relayed = new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }));
      await send();
      await relayed;
    },
    user: (options = {}) =>
      server.getClient(token, {
        userId: options.userId ?? 4711,
        chatId: options.userId ?? 4711,
        firstName: options.firstName ?? 'Erika',
        timeout: 2000,
      }),
    async stop() {
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await media.stop();
      await server.stop();
    },
  };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
