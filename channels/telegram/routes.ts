/**
 * `POST /channels/telegram`: where Telegram delivers updates. The secret registered with
 * `setWebhook` is checked before the body is even read, so an unauthenticated caller can neither
 * make Lotse parse JSON nor start a turn. An update from Telegram is always answered 200 at once —
 * also one Lotse cannot read, since Telegram redelivers anything else forever — and processed in
 * the background: Telegram waits for the answer before it sends the next update, and a slow search
 * must not make it retry. Each message is queued for its chat (`adapter.inOrder`) while the request
 * is handled, so a chat's messages reach the adapter in the order Telegram sent them even when one
 * of them waits for its photo to download.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { type InboundQueue, queueInbound } from '../messaging/inbound-queue.js';
import { sameSecret } from '../secrets.js';
import type { TelegramLog } from './bot-api.js';
import type { TelegramClient } from './client.js';
import { type TelegramWebhookErrorCode, webhookError } from './errors.js';
import {
  type TelegramUpdate,
  TelegramUpdateSchema,
  toInboundMessage,
  updateType,
} from './updates.js';

/** The path Telegram posts to; `setWebhook` registers `<public URL>` + this. */
export const TELEGRAM_WEBHOOK_PATH = '/channels/telegram';

/** The header Telegram sends the `secret_token` of `setWebhook` in. */
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Updates are small; 1 MB is far above any real one and stops abuse early. */
const BODY_LIMIT = 1024 * 1024;

/** fastify's codes for a JSON body that does not parse. */
const UNREADABLE_BODY = new Set(['FST_ERR_CTP_INVALID_JSON_BODY', 'FST_ERR_CTP_EMPTY_JSON_BODY']);

export interface TelegramWebhookOptions {
  client: Pick<TelegramClient, 'answerCallbackQuery' | 'downloadFile'>;
  adapter: InboundQueue;
  /** `LOTSE_TELEGRAM_SECRET`. */
  secret: string;
  /** Largest photo or file fetched from Telegram, in bytes. */
  maxFileBytes: number;
  log: TelegramLog;
}

/** Registers the webhook route in its own scope (own body limit and error answers). */
export async function telegramWebhook(
  app: FastifyInstance,
  options: TelegramWebhookOptions,
): Promise<void> {
  await app.register(async (scope) => {
    scope.setErrorHandler((error: FastifyError, _req, reply) => {
      // Only a sender with the right secret gets this far: its body is taken and dropped.
      if (UNREADABLE_BODY.has(error.code)) {
        options.log.warn({ updateType: 'unreadable' }, 'telegram update not understood; ignored');
        return reply.code(200).send({ ok: true });
      }
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
      if (status === 500) options.log.error({ err: error }, 'telegram webhook failed');
      return reply.code(status).send(webhookError(codeFor(status), messageFor(status)));
    });
    scope.post(TELEGRAM_WEBHOOK_PATH, {
      bodyLimit: BODY_LIMIT,
      onRequest: async (req, reply) => {
        const given = req.headers[SECRET_HEADER];
        if (typeof given !== 'string' || given === '') {
          return reply
            .code(401)
            .send(webhookError('TELEGRAM_SECRET_MISSING', 'telegram: the secret token is missing'));
        }
        if (!sameSecret(given, options.secret)) {
          return reply
            .code(403)
            .send(webhookError('TELEGRAM_SECRET_INVALID', 'telegram: the secret token is wrong'));
        }
      },
      handler: async (req, reply) => {
        const type = updateType(req.body);
        const parsed = TelegramUpdateSchema.safeParse(req.body);
        if (parsed.success) acceptUpdate(parsed.data, type, options);
        else options.log.warn({ updateType: type }, 'telegram update not understood; ignored');
        return reply.code(200).send({ ok: true });
      },
    });
  });
}

/**
 * Queues one update's message for its chat and answers a button press — synchronously, while the
 * request is handled, so no later update of the chat can overtake it. Logs by update id and type
 * only, never content.
 */
export function acceptUpdate(
  update: TelegramUpdate,
  type: string,
  options: Omit<TelegramWebhookOptions, 'secret'>,
): void {
  const { client, adapter, log } = options;
  const updateId = update.update_id;
  const message = toInboundMessage(update, {
    download: (fileId, maxBytes) => client.downloadFile(fileId, maxBytes),
    maxFileBytes: options.maxFileBytes,
    onDownloadFailure: (error) =>
      log.warn({ updateId, err: errorSummary(error) }, 'telegram file download failed'),
  });
  if (message) {
    queueInbound(adapter, message, (error) =>
      log.error({ updateId, updateType: type, err: errorSummary(error) }, 'telegram update failed'),
    );
  } else {
    log.info({ updateId, updateType: type }, 'telegram update ignored');
  }
  const query = update.callback_query;
  if (query) {
    // Stops the button's spinner; apart from the turn, so it neither delays nor loses the choice.
    adapter.runInBackground(() =>
      client.answerCallbackQuery(query.id).catch((error: unknown) => {
        log.warn({ updateId, err: errorSummary(error) }, 'telegram answerCallbackQuery failed');
      }),
    );
  }
}

/**
 * Registers the webhook with Telegram when Lotse knows its public URL; without one the operator
 * sets it by hand (or runs behind a tunnel) and nothing is called. Returns whether it was set.
 */
export async function startTelegram(
  config: NonNullable<Config['telegram']>,
  client: Pick<TelegramClient, 'setWebhook'>,
  publicUrl: string | undefined,
): Promise<boolean> {
  if (!publicUrl) return false;
  await client.setWebhook(
    `${publicUrl.replace(/\/+$/, '')}${TELEGRAM_WEBHOOK_PATH}`,
    config.secret,
  );
  return true;
}

function codeFor(status: number): TelegramWebhookErrorCode {
  if (status === 413) return 'TELEGRAM_TOO_LARGE';
  if (status === 415) return 'TELEGRAM_UNSUPPORTED_MEDIA_TYPE';
  if (status < 500) return 'TELEGRAM_BAD_UPDATE';
  return 'TELEGRAM_FAILED';
}

function messageFor(status: number): string {
  if (status === 413) return 'telegram: the body is larger than 1 MB';
  if (status === 415) return 'telegram: the body must be application/json';
  if (status < 500) return 'telegram: the body is not a valid Update';
  return 'telegram: the update could not be taken; please retry';
}

/** An error's class and message: Lotse's own messages carry no tokens or message texts. */
function errorSummary(error: unknown): { type: string; message: string } {
  return error instanceof Error
    ? { type: error.name, message: error.message }
    : { type: typeof error, message: String(error) };
}
