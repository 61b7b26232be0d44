/**
 * One Bot API call: `POST {apiBase}/bot{token}/{method}` with a JSON body, answered with
 * `{ ok, result }` or `{ ok: false, error_code, description, parameters }`. Flood control (429
 * with `parameters.retry_after`) is waited out here, so no caller has to know about it; every
 * other error is thrown with Telegram's own description. The token is part of every URL, so no
 * message, log line or error built here ever contains a URL.
 */
import { fetchWithTimeout, realSleep, transportReason, withRetries } from '../messaging/http.js';
import { TelegramApiError, TelegramTransportError } from './errors.js';

/** Something that can write warnings; a pino or fastify logger fits. */
export interface TelegramLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface BotApiOptions {
  token: string;
  /** Without a trailing slash; `https://api.telegram.org` in production. */
  apiBase: string;
  /** Time for one request, in ms (default 10 s). */
  timeoutMs?: number;
  /** Retries after a 429 (default 3); then the 429 is thrown. */
  maxRetries?: number;
  /**
   * The longest `retry_after` waited out, in seconds (default 60): a message that would arrive
   * minutes late is better reported as failed than delivered into a conversation that moved on.
   */
  maxRetryAfterSeconds?: number;
  /** How to wait; tests pass one driven by fake timers. */
  sleep?: (ms: number) => Promise<void>;
  log?: TelegramLog;
}

interface ApiAnswer {
  ok?: unknown;
  result?: unknown;
  error_code?: unknown;
  description?: unknown;
  parameters?: { retry_after?: unknown };
}

/** Calls Bot API methods for one bot. */
export class BotApi {
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryAfterSeconds: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: BotApiOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxRetries = options.maxRetries ?? 3;
    this.maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 60;
    this.sleep = options.sleep ?? realSleep;
  }

  /** The bot's base URL for file downloads: `{apiBase}/file/bot{token}/`. Never log it. */
  fileUrl(filePath: string): string {
    const path = filePath.split('/').map(encodeURIComponent).join('/');
    return `${this.options.apiBase}/file/bot${this.options.token}/${path}`;
  }

  /** Calls `method` with `params`; resolves with `result`. */
  async call<T>(method: string, params: object): Promise<T> {
    const result = await withRetries(
      {
        maxRetries: this.maxRetries,
        maxWaitMs: this.maxRetryAfterSeconds * 1000,
        sleep: this.sleep,
        waitMs: (error) =>
          error instanceof TelegramApiError && error.retryAfter !== undefined
            ? error.retryAfter * 1000
            : undefined,
        onWait: (ms, retry) =>
          this.options.log?.warn(
            { method, retryAfter: ms / 1000, attempt: retry },
            'telegram flood control: waiting before retrying',
          ),
      },
      () => this.once(method, params),
    );
    return result as T;
  }

  private async once(method: string, params: object): Promise<unknown> {
    let response: Response;
    try {
      response = await fetchWithTimeout(
        `${this.options.apiBase}/bot${this.options.token}/${method}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(params),
          redirect: 'error',
        },
        { timeoutMs: this.timeoutMs },
      );
    } catch (error) {
      throw new TelegramTransportError(method, transportReason(error, this.timeoutMs), {
        cause: error,
      });
    }
    let answer: ApiAnswer;
    try {
      answer = (await response.json()) as ApiAnswer;
    } catch (error) {
      throw new TelegramTransportError(
        method,
        `HTTP ${response.status} with a body that is not JSON`,
        { cause: error },
      );
    }
    if (answer?.ok === true) return answer.result;
    const code = typeof answer?.error_code === 'number' ? answer.error_code : response.status;
    const description =
      typeof answer?.description === 'string' ? answer.description : `HTTP ${response.status}`;
    const retryAfter = answer?.parameters?.retry_after;
    throw new TelegramApiError(
      method,
      code,
      description,
      code === 429 && typeof retryAfter === 'number' && retryAfter >= 0 ? retryAfter : undefined,
    );
  }
}
