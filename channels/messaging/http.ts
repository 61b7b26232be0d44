/**
 * The HTTP plumbing the messenger clients share (Telegram's Bot API, WhatsApp's Graph API, a Matrix
 * homeserver): a request with a time limit and a failure reason that never names the URL (Telegram
 * puts the bot token into every URL, Graph's media URLs are signed), waiting out rate limits a
 * bounded number of times, and downloads that never hold more than the allowed size. What each
 * service does its own way — how it reports a rate limit, its error types — stays in its channel:
 * these functions take it as callbacks.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { parseRetryAfter } from '../../flows/connectors/connector.js';

/** Waits `ms`, or rejects when `signal` aborts; injectable so tests run without real waits. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real clock. */
export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/**
 * `fetch` that gives up after `timeoutMs` — for the answer and for reading its body — so a service
 * that stops answering cannot hold a turn (or a webhook's queue) forever. `init.signal` (a caller's
 * own, e.g. a stopping sync loop) aborts the request as well.
 */
export function fetchWithTimeout(
  url: string | URL,
  init: RequestInit,
  options: { timeoutMs: number; fetch?: typeof fetch },
): Promise<Response> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  return (options.fetch ?? fetch)(url, { ...init, signal });
}

/** An error code or class name, as opposed to free text. */
const WORD = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * Why a request failed, fit for error messages and logs: `no answer within … ms`, or `request
 * failed (ECONNREFUSED)` with the system's error code (else the error's class). Never the error's
 * message — fetch writes the URL into some (`Failed to parse URL from https://…/bot<token>/…`).
 */
export function transportReason(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: unknown } | null | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const code = (error as { cause?: { code?: unknown } } | null | undefined)?.cause?.code;
  if (typeof code === 'string' && WORD.test(code)) return `request failed (${code})`;
  if (typeof name === 'string' && WORD.test(name)) return `request failed (${name})`;
  return 'request failed';
}

export interface RetryOptions {
  /** Retries after the first attempt; then the last error is thrown. */
  maxRetries: number;
  /**
   * The longest wait accepted. A longer one is not waited out — the error is thrown at once: a
   * message that would arrive minutes late is better reported as failed than left blocking.
   */
  maxWaitMs: number;
  sleep: (ms: number) => Promise<void>;
  /**
   * How long to wait after `error` (thrown by attempt `attempt`, counted from 0) before trying
   * again — what the service asked for, or a backoff — or undefined when the error is final.
   */
  waitMs: (error: unknown, attempt: number) => number | undefined;
  /** Told before each wait, with the number of the coming retry (from 1); for a log line. */
  onWait?: (ms: number, retry: number) => void;
}

/**
 * Runs `attempt` until it succeeds, waiting between attempts as `options.waitMs` says for the
 * error (a 429's `Retry-After`, Telegram's `retry_after`); rethrows an error that is final, one
 * whose wait is too long, and the error of the last allowed retry.
 */
export async function withRetries<T>(
  options: RetryOptions,
  attempt: (attempt: number) => Promise<T>,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const wait = options.waitMs(error, n);
      if (wait === undefined || n >= options.maxRetries || wait > options.maxWaitMs) throw error;
      options.onWait?.(wait, n + 1);
      await options.sleep(wait);
    }
  }
}

/** The `Retry-After` header of an answer in ms (seconds or an HTTP date); undefined without one. */
export function retryAfterMs(response: Response, now: Date = new Date()): number | undefined {
  return parseRetryAfter(response.headers.get('retry-after'), now);
}

/** The errors of a capped download, in the channel's own types. */
export interface CappedReadErrors {
  /** The body is larger than allowed: `size` is its declared length or the bytes read so far. */
  tooLarge: (size: number) => Error;
  /** The body broke off while it was read (connection lost, time limit reached). */
  broken: (cause: unknown) => Error;
}

/**
 * Reads a response body into memory, never more than `maxBytes` of it: refused before reading when
 * its Content-Length says it is larger, and the rest cancelled the moment more arrives than allowed
 * (a missing or wrong Content-Length changes nothing), so a user's file cannot exhaust memory.
 */
export async function readCapped(
  response: Response,
  maxBytes: number,
  errors: CappedReadErrors,
): Promise<Buffer> {
  const declared = declaredLength(response);
  if (declared !== undefined && declared > maxBytes) {
    await response.body?.cancel();
    throw errors.tooLarge(declared);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      // Leaving the loop cancels the stream: nothing more is downloaded.
      if (size > maxBytes) break;
      chunks.push(chunk);
    }
  } catch (cause) {
    throw errors.broken(cause);
  }
  if (size > maxBytes) throw errors.tooLarge(size);
  return Buffer.concat(chunks);
}

/** The media type of a Content-Type value without its parameters; '' when there is none. */
export function mediaTypeOf(contentType: string | null | undefined): string {
  return contentType?.split(';')[0]?.trim() ?? '';
}

function declaredLength(response: Response): number | undefined {
  const value = response.headers.get('content-length')?.trim();
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}
