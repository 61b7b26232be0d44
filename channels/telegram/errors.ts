/**
 * The two ways a Bot API call fails, kept apart because callers react differently (as grammY
 * does): Telegram answered with an error (`TelegramApiError`: a bad request, a blocked bot, flood
 * control after our retries) — retrying the same call will not help; or no usable answer came at
 * all (`TelegramTransportError`: refused, reset, timeout, not JSON) — the message may or may not
 * have been delivered. Messages name the method, never the URL: the URL carries the bot token.
 */

/** Telegram answered `ok: false`. */
export class TelegramApiError extends Error {
  constructor(
    /** The Bot API method, e.g. `sendMessage`. */
    readonly method: string,
    /** Telegram's `error_code` (mostly the HTTP status: 400, 403, 429 …). */
    readonly errorCode: number,
    /** Telegram's `description`, e.g. `Forbidden: bot was blocked by the user`. */
    readonly description: string,
    /** Seconds Telegram asked us to wait (`parameters.retry_after`), for a 429. */
    readonly retryAfter?: number,
  ) {
    super(`telegram ${method}: ${errorCode} ${description}`);
    this.name = 'TelegramApiError';
  }
}

/** No usable answer from the Bot API: network failure, timeout, or a body that is not JSON. */
export class TelegramTransportError extends Error {
  constructor(
    readonly method: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`telegram ${method}: ${reason}`, options);
    this.name = 'TelegramTransportError';
  }
}

/** A file the user sent that Lotse does not fetch: larger than allowed. */
export class TelegramFileTooLargeError extends Error {
  constructor(
    readonly size: number,
    readonly maxBytes: number,
  ) {
    super(`telegram file: ${size} bytes is more than the ${maxBytes} allowed`);
    this.name = 'TelegramFileTooLargeError';
  }
}

/** Stable codes of the webhook's error answers. */
export type TelegramWebhookErrorCode =
  | 'TELEGRAM_SECRET_MISSING'
  | 'TELEGRAM_SECRET_INVALID'
  | 'TELEGRAM_BAD_UPDATE'
  | 'TELEGRAM_TOO_LARGE'
  | 'TELEGRAM_UNSUPPORTED_MEDIA_TYPE'
  | 'TELEGRAM_FAILED';

/** The JSON body of every error answer of the webhook. */
export interface TelegramWebhookErrorBody {
  ok: false;
  error: { code: TelegramWebhookErrorCode; message: string };
}

/** Builds an error body; one place so codes and messages stay alike. */
export function webhookError(
  code: TelegramWebhookErrorCode,
  message: string,
): TelegramWebhookErrorBody {
  return { ok: false, error: { code, message } };
}
