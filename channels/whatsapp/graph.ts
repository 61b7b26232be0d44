/**
 * The few Graph API calls the WhatsApp channel makes, with what every call needs: the bearer
 * token, a timeout, Graph's error object turned into `WhatsAppApiError`, and rate-limit answers
 * waited out a bounded number of times. Kept apart from the client so that message building and
 * the 24-hour rule read without HTTP details.
 */
import { GRAPH_RATE_LIMIT_CODES, WhatsAppApiError, WhatsAppTransportError } from './errors.js';

export interface GraphOptions {
  /** The versioned Graph base, e.g. `https://graph.facebook.com/v21.0` (no trailing slash). */
  apiBase: string;
  /** The system user's access token; sent as `Authorization: Bearer …`, never logged. */
  token: string;
  /** Milliseconds one request (with its body) may take. Default 10 000. */
  timeoutMs?: number;
  /** Retries after a rate-limit answer (HTTP 429 or a Graph rate-limit code). Default 2. */
  rateLimitRetries?: number;
  /** Waits between retries; tests pass one that returns at once. Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
}

/** A downloaded media file. */
export interface MediaFile {
  bytes: Buffer;
  contentType: string;
}

/** The longest wait a `Retry-After` may ask for before we give up waiting. */
const MAX_RETRY_AFTER_MS = 30_000;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class GraphApi {
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly origin: string;

  constructor(private readonly options: GraphOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = options.rateLimitRetries ?? 2;
    this.sleep = options.sleep ?? realSleep;
    this.origin = new URL(options.apiBase).origin;
  }

  /**
   * Calls `path` under the API base and returns Graph's JSON answer. A rate-limit refusal is
   * retried with backoff (Graph sent nothing then); any other refusal throws at once.
   */
  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, path, body);
      } catch (error) {
        if (!(error instanceof RateLimited) || attempt >= this.retries) {
          throw error instanceof RateLimited ? error.apiError : error;
        }
        await this.sleep(error.retryAfterMs ?? 1000 * 2 ** attempt);
      }
    }
  }

  /**
   * Downloads a media URL Graph gave out (it needs the bearer token too). The token goes only to
   * https addresses or to Graph's own origin; more than `maxBytes` is refused mid-stream.
   */
  async download(url: string, maxBytes: number): Promise<MediaFile> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new WhatsAppTransportError('the media URL from Graph is not a URL');
    }
    if (target.protocol !== 'https:' && target.origin !== this.origin) {
      throw new WhatsAppTransportError('the media URL from Graph is not https');
    }
    const response = await this.fetch(target, { method: 'GET' });
    if (!response.ok) {
      await response.body?.cancel();
      throw new WhatsAppApiError(response.status, 0, 'media download refused');
    }
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel();
      throw new WhatsAppTransportError(`the media file is larger than ${maxBytes} bytes`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body ?? []) {
        size += (chunk as Uint8Array).byteLength;
        if (size > maxBytes) {
          throw new WhatsAppTransportError(`the media file is larger than ${maxBytes} bytes`);
        }
        chunks.push(Buffer.from(chunk as Uint8Array));
      }
    } catch (error) {
      if (error instanceof WhatsAppTransportError) throw error;
      throw new WhatsAppTransportError('the media download failed', { cause: error });
    }
    return {
      bytes: Buffer.concat(chunks),
      contentType: response.headers.get('content-type')?.split(';')[0]?.trim() ?? '',
    };
  }

  private async once<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await this.fetch(new URL(`${this.options.apiBase}${path}`), {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch (cause) {
      if (!response.ok) throw new WhatsAppApiError(response.status, 0, 'no Graph error object');
      throw new WhatsAppTransportError('Graph answered without JSON', { cause });
    }
    if (response.ok) return parsed as T;
    const error = graphError(response.status, parsed);
    if (response.status === 429 || GRAPH_RATE_LIMIT_CODES.has(error.code)) {
      throw new RateLimited(error, retryAfterMs(response.headers.get('retry-after')));
    }
    throw error;
  }

  private async fetch(url: URL, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, {
        ...init,
        headers: {
          ...(init.headers as Record<string, string> | undefined),
          authorization: `Bearer ${this.options.token}`,
          'user-agent': 'lotse-whatsapp',
        },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (cause) {
      const timedOut = (cause as Error).name === 'TimeoutError';
      // The URL is never named: a media address is signed, a Graph path may hold a number.
      throw new WhatsAppTransportError(
        timedOut
          ? `Graph did not answer within ${this.timeoutMs} ms`
          : `Graph could not be reached (${(cause as Error).name})`,
        { cause },
      );
    }
  }
}

/** A rate-limit refusal, carried out of `once` so that `call` can wait and retry. */
class RateLimited extends Error {
  constructor(
    readonly apiError: WhatsAppApiError,
    readonly retryAfterMs: number | undefined,
  ) {
    super(apiError.message);
  }
}

function graphError(status: number, body: unknown): WhatsAppApiError {
  const error = (body as { error?: Record<string, unknown> } | null)?.error ?? {};
  const code = typeof error.code === 'number' ? error.code : Number(error.code) || 0;
  const message =
    typeof error.message === 'string' ? error.message.slice(0, 300) : 'no error message';
  const subcode = typeof error.error_subcode === 'number' ? error.error_subcode : undefined;
  return new WhatsAppApiError(status, code, message, subcode);
}

function retryAfterMs(header: string | null): number | undefined {
  const seconds = Number(header);
  if (!header || !Number.isFinite(seconds) || seconds < 0) return undefined;
  return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
}
