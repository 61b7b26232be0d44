/**
 * The messenger channels the configuration turns on — Telegram, WhatsApp, Matrix — each as a
 * client, a messenger adapter that drives the same bot, and its inbound side (a webhook route or
 * Matrix's sync loop). Each channel's adapter is also registered as the channel's proactive
 * sender, so agents' replies and status news reach citizens on the messenger they wrote from.
 */
import type { FastifyInstance } from 'fastify';
import type { TurnContext } from 'botbuilder';
import type { Stores } from '../storage/open-store.js';
import type { ChannelMessenger } from './citizen-messenger.js';
import type { Config } from './config.js';
import type { UploadStore } from './directline/uploads.js';
import { MessengerAdapter } from './messaging/messenger-adapter.js';
import type { ChannelClient } from './messaging/types.js';
import type { FloodLimiter } from './messaging/flood-gate.js';
import type { TurnQueue } from './directline/keyed-queue.js';
import { TelegramClient } from './telegram/client.js';
import { startTelegram, telegramWebhook } from './telegram/routes.js';
import { WhatsAppClient, whatsappWebhook } from './whatsapp/index.js';
import { MatrixClient } from './matrix/client.js';
import { MatrixBot } from './matrix/sync.js';

/** How long deliveries seen and choices offered are kept. */
const KEEP_CHANNEL_DATA_MS = 7 * 24 * 3_600_000;
const HOUSEKEEPING_MS = 3_600_000;

export interface MessengerParts {
  app: FastifyInstance;
  config: Config;
  stores: Stores;
  /** The bot's turn handler. */
  bot: (context: TurnContext) => Promise<void>;
  /** Shared with Direct Line, which serves the stored files. */
  uploads: UploadStore;
  messenger: ChannelMessenger;
  /** Messenger floods, counted in process or across instances. */
  flood: FloodLimiter;
  /** One turn at a time per conversation, shared with Direct Line's. */
  turns: TurnQueue;
}

/** The running messenger channels. */
export interface Messengers {
  adapters: MessengerAdapter[];
  /** Matrix's sync loop, when Matrix is on. */
  matrix: MatrixBot | undefined;
  /** After `listen`: registers the Telegram webhook when a public URL is known. */
  start(): Promise<void>;
  /** Stops Matrix's sync loop and the housekeeping; call before closing the server. */
  stop(): Promise<void>;
  /** Waits for deliveries in progress; call after the server stopped accepting webhooks. */
  whenIdle(): Promise<void>;
}

/** Registers every configured messenger channel on `app`. */
export async function registerMessengers(parts: MessengerParts): Promise<Messengers> {
  const { app, config, stores } = parts;
  const adapters: MessengerAdapter[] = [];
  const starters: (() => Promise<void>)[] = [];
  // Links to stored photos: the public URL, else the address the server listens on.
  const attachmentBase = () => {
    if (config.publicUrl) return `${config.publicUrl.replace(/\/+$/, '')}/v3/directline`;
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    // A wildcard address is no place to link to; set LOTSE_PUBLIC_URL for links others follow.
    const host = ['0.0.0.0', '::', ''].includes(config.host) ? '127.0.0.1' : config.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}/v3/directline`;
  };

  const adapterFor = (client: ChannelClient) => {
    const adapter = new MessengerAdapter({
      client,
      store: stores.channels,
      transcripts: stores.transcripts,
      uploads: parts.uploads,
      attachmentBase,
      maxUploadBytes: config.directLine.uploadMaxBytes,
      flood: parts.flood,
      turns: parts.turns,
      bot: parts.bot,
      log: app.log,
    });
    parts.messenger.register(client.channelId, adapter.sender());
    adapters.push(adapter);
    return adapter;
  };

  if (config.telegram) {
    const telegram = config.telegram;
    const client = new TelegramClient({
      token: telegram.token,
      apiBase: telegram.apiBase,
      log: app.log,
    });
    const adapter = adapterFor(client);
    await app.register(telegramWebhook, {
      client,
      adapter,
      secret: telegram.secret,
      maxFileBytes: config.directLine.uploadMaxBytes,
      log: app.log,
    });
    starters.push(async () => {
      try {
        await startTelegram(telegram, client, config.publicUrl);
      } catch (error) {
        // The webhook can be set by hand; a failed registration must not stop the other channels.
        app.log.warn({ err: (error as Error).message }, 'telegram: setWebhook failed');
      }
    });
  }

  if (config.whatsapp) {
    const whatsapp = config.whatsapp;
    const client = new WhatsAppClient({
      token: whatsapp.token,
      phoneId: whatsapp.phoneId,
      apiBase: whatsapp.apiBase,
      template: whatsapp.template,
      store: stores.channels,
      log: app.log,
      maxMediaBytes: config.directLine.uploadMaxBytes,
    });
    const adapter = adapterFor(client);
    await app.register(whatsappWebhook, {
      client,
      adapter,
      appSecret: whatsapp.appSecret,
      verifyToken: whatsapp.verifyToken,
      log: app.log,
    });
  }

  let matrix: MatrixBot | undefined;
  if (config.matrix) {
    const client = new MatrixClient({
      homeserver: config.matrix.homeserver,
      token: config.matrix.token,
    });
    const bot = new MatrixBot({
      client,
      adapter: adapterFor(client),
      logger: app.log,
      maxFileBytes: config.directLine.uploadMaxBytes,
    });
    matrix = bot;
    // Syncing starts after listen: the links to photos need the server's address.
    starters.push(async () => bot.start());
  }

  // Deliveries and choices older than a week are forgotten (duplicates come within minutes).
  let housekeeping: NodeJS.Timeout | undefined;
  const prune = () =>
    stores.channels
      .pruneBefore(new Date(Date.now() - KEEP_CHANNEL_DATA_MS).toISOString())
      .catch((error: Error) => app.log.warn({ err: error.name }, 'channel housekeeping failed'));

  return {
    adapters,
    matrix,
    async start() {
      for (const start of starters) await start();
      if (adapters.length && !housekeeping) {
        void prune();
        housekeeping = setInterval(() => void prune(), HOUSEKEEPING_MS);
        housekeeping.unref();
      }
    },
    async stop() {
      clearInterval(housekeeping);
      housekeeping = undefined;
      await matrix?.stop();
    },
    async whenIdle() {
      await Promise.all(adapters.map((adapter) => adapter.whenIdle()));
    },
  };
}
