/**
 * The one place that talks HTTP to the homeserver, shared by the client (sending) and the sync
 * loop (receiving): the access token goes in the `Authorization` header only (never the query
 * string, which ends up in logs), a 429 is waited out as the homeserver says (`Retry-After` header,
 * or the older `retry_after_ms` field), idempotent calls are retried after transport errors, and
 * every failure becomes a `MatrixApiError` or `MatrixTransportError` without the token in it.
 */
import type { z } from 'zod';
import {
  fetchWithTimeout,
  mediaTypeOf,
  readCapped,
  realSleep,
  retryAfterMs,
  type Sleep,
  transportReason,
  withRetries,
} from '../messaging/http.js';
import {
  type MatrixCall,
  MatrixApiError,
  MatrixMediaTooLargeError,
  MatrixTransportError,
} from './errors.js';

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
  /**
   * The longest wait before a retry (a 429's, or the backoff of an idempotent call); a 429 asking
   * for longer fails at once rather than block. Default 60 s.
   */
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
    const bytes = await readCapped(response, options.maxBytes, {
      tooLarge: () => new MatrixMediaTooLargeError(options.maxBytes),
      broken: (cause) => new MatrixTransportError('download', 'the download broke off', { cause }),
    });
    return {
      bytes,
      contentType: mediaTypeOf(response.headers.get('content-type')) || 'application/octet-stream',
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
    const timeoutMs = request.timeoutMs ?? this.requestTimeoutMs;
    return withRetries(
      {
        maxRetries: this.maxRetries,
        maxWaitMs: this.maxRetryWaitMs,
        sleep: (ms) => this.sleep(ms, request.signal),
        waitMs: (error, attempt) => retryWaitMs(error, attempt, request.idempotent === true),
      },
      async () => {
        let response: Response;
        try {
          response = await fetchWithTimeout(
            url,
            {
              method: request.method,
              headers,
              ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
              ...(request.signal ? { signal: request.signal } : {}),
            },
            { timeoutMs, fetch: this.fetchFn },
          );
        } catch (error) {
          if (request.signal?.aborted) throw request.signal.reason ?? error;
          throw new MatrixTransportError(request.call, transportReason(error, timeoutMs), {
            cause: error,
          });
        }
        if (response.ok) return response;
        throw await apiError(request.call, response);
      },
    );
  }
}

/**
 * How long to wait before trying a failed call again, or undefined when it is not retried: a 429
 * as the homeserver asked (else 1 s); a transport error or 5xx of an idempotent call after 0.5 s,
 * 1 s, 2 s, …; anything else (a caller's abort, a refusal) not at all.
 */
function retryWaitMs(error: unknown, attempt: number, idempotent: boolean): number | undefined {
  if (error instanceof MatrixApiError && error.status === 429) return error.retryAfterMs ?? 1000;
  const transient =
    error instanceof MatrixTransportError ||
    (error instanceof MatrixApiError && error.status >= 500);
  return idempotent && transient ? 500 * 2 ** attempt : undefined;
}

/** Reads a standard error response; never keeps the server's free-text `error`. */
async function apiError(call: MatrixCall, response: Response): Promise<MatrixApiError> {
  let errcode = 'M_UNKNOWN';
  let retryAfter = retryAfterMs(response);
  try {
    const body = (await response.json()) as { errcode?: unknown; retry_after_ms?: unknown };
    if (typeof body.errcode === 'string' && /^[A-Z][A-Z0-9_.]{0,63}$/i.test(body.errcode)) {
      errcode = body.errcode;
    }
    if (retryAfter === undefined && typeof body.retry_after_ms === 'number') {
      retryAfter = Math.max(0, body.retry_after_ms);
    }
  } catch {
    // Not JSON (a proxy's error page): the status alone tells what happened.
  }
  return new MatrixApiError(call, response.status, errcode, retryAfter);
}
