/**
 * The one place that talks HTTP to the homeserver, shared by the client (sending) and the sync
 * loop (receiving): the access token goes in the `Authorization` header only (never the query
 * string, which ends up in logs), a 429 is waited out as the homeserver says (`Retry-After` header,
 * or the older `retry_after_ms` field), idempotent calls are retried after transport errors, and
 * every failure becomes a `MatrixApiError` or `MatrixTransportError` without the token in it.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { z } from 'zod';
import {
  type MatrixCall,
  MatrixApiError,
  MatrixMediaTooLargeError,
  MatrixTransportError,
} from './errors.js';

/** Waits `ms`, or rejects when `signal` aborts; injectable so tests run without real waits. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real clock. */
export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

export interface MatrixHttpOptions {
  /** The homeserver's base URL, e.g. `https://matrix.example.org` (no trailing slash needed). */
  homeserver: string;
  /** The bot account's access token. */
  token: string;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Default: real timers. */
  sleep?: Sleep;
  /** Retries after a 429 and, for idempotent calls, after a transport error or 5xx. Default 3. */
  maxRetries?: number;
  /** The longest 429 wait honoured; a longer one fails at once rather than block. Default 60 s. */
  maxRetryWaitMs?: number;
  /** Time limit of one attempt of calls other than sync. Default 30 s. */
  requestTimeoutMs?: number;
}

/** One call to the client-server API. */
export interface MatrixRequest {
  call: MatrixCall;
  method: 'GET' | 'POST' | 'PUT';
  /** From `/_matrix/…`, path parameters already encoded (see `pathSegment`). */
  path: string;
  query?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  /** Safe to repeat (a PUT with a transaction id, a GET): retried after transport errors and 5xx. */
  idempotent?: boolean;
  /** Time limit of one attempt; default `requestTimeoutMs`. */
  timeoutMs?: number;
}

/** A downloaded media file. */
export interface MatrixMedia {
  bytes: Buffer;
  contentType: string;
}

/** Encodes one path parameter (`!room:example.org` → `%21room%3Aexample.org`). */
export function pathSegment(value: string): string {
  return encodeURIComponent(value);
}

export class MatrixHttp {
  private readonly base: string;
  private readonly fetchFn: typeof fetch;
  readonly sleep: Sleep;
  private readonly maxRetries: number;
  private readonly maxRetryWaitMs: number;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: MatrixHttpOptions) {
    this.base = options.homeserver.replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? fetch;
    this.sleep = options.sleep ?? realSleep;
    this.maxRetries = options.maxRetries ?? 3;
    this.maxRetryWaitMs = options.maxRetryWaitMs ?? 60_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  /** Makes the call and checks the JSON answer against `schema`. */
  async json<T>(request: MatrixRequest, schema: z.ZodType<T>): Promise<T> {
    const response = await this.send(request);
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new MatrixTransportError(request.call, 'the answer is not JSON', { cause: error });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new MatrixTransportError(request.call, 'the answer does not have the expected shape');
    }
    return parsed.data;
  }

  /**
   * Downloads a file through the authenticated media API (Matrix 1.11), refusing files larger
   * than `maxBytes` before or while reading them.
   */
  async download(
    mxc: { serverName: string; mediaId: string },
    options: { maxBytes: number; signal?: AbortSignal },
  ): Promise<MatrixMedia> {
    const response = await this.send({
      call: 'download',
      method: 'GET',
      path: `/_matrix/client/v1/media/download/${pathSegment(mxc.serverName)}/${pathSegment(mxc.mediaId)}`,
      idempotent: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const declared = Number(response.headers.get('content-length'));
    if (declared > options.maxBytes) {
      await response.body?.cancel();
      throw new MatrixMediaTooLargeError(options.maxBytes);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body ?? []) {
        size += chunk.byteLength;
        if (size > options.maxBytes) throw new MatrixMediaTooLargeError(options.maxBytes);
        chunks.push(Buffer.from(chunk));
      }
    } catch (error) {
      if (error instanceof MatrixMediaTooLargeError) throw error;
      throw new MatrixTransportError('download', 'the download broke off', { cause: error });
    }
    return {
      bytes: Buffer.concat(chunks),
      contentType:
        response.headers.get('content-type')?.split(';')[0]?.trim() || 'application/octet-stream',
    };
  }

  /** Sends the request with retries; resolves with a 2xx response, throws otherwise. */
  private async send(request: MatrixRequest): Promise<Response> {
    const url = new URL(`${this.base}${request.path}`);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      url.searchParams.set(name, value);
    }
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}` };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(request.timeoutMs ?? this.requestTimeoutMs);
      const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
      let response: Response;
      try {
        response = await this.fetchFn(url, {
          method: request.method,
          headers,
          ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
          signal,
        });
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason ?? error;
        const failure = new MatrixTransportError(request.call, transportReason(error), {
          cause: error,
        });
        if (!request.idempotent || attempt >= this.maxRetries) throw failure;
        await this.sleep(backoffMs(attempt), request.signal);
        continue;
      }
      if (response.ok) return response;
      const failure = await apiError(request.call, response);
      if (failure.status === 429 && attempt < this.maxRetries) {
        const wait = failure.retryAfterMs ?? 1000;
        if (wait <= this.maxRetryWaitMs) {
          await this.sleep(wait, request.signal);
          continue;
        }
      } else if (failure.status >= 500 && request.idempotent && attempt < this.maxRetries) {
        await this.sleep(backoffMs(attempt), request.signal);
        continue;
      }
      throw failure;
    }
  }
}

/** 0.5 s, 1 s, 2 s, … between retries of idempotent calls. */
function backoffMs(attempt: number): number {
  return 500 * 2 ** attempt;
}

/** A short, token-free reason for a failed fetch (`ECONNREFUSED`, `TimeoutError`). */
function transportReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (error instanceof Error) return error.name;
  return 'unknown error';
}

/** Reads a standard error response; never keeps the server's free-text `error`. */
async function apiError(call: MatrixCall, response: Response): Promise<MatrixApiError> {
  let errcode = 'M_UNKNOWN';
  let retryAfterMs = retryAfterHeader(response.headers.get('retry-after'));
  try {
    const body = (await response.json()) as { errcode?: unknown; retry_after_ms?: unknown };
    if (typeof body.errcode === 'string' && /^[A-Z][A-Z0-9_.]{0,63}$/i.test(body.errcode)) {
      errcode = body.errcode;
    }
    if (retryAfterMs === undefined && typeof body.retry_after_ms === 'number') {
      retryAfterMs = Math.max(0, body.retry_after_ms);
    }
  } catch {
    // Not JSON (a proxy's error page): the status alone tells what happened.
  }
  return new MatrixApiError(call, response.status, errcode, retryAfterMs);
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds. */
function retryAfterHeader(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
