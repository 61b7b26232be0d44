/**
 * The few Graph API calls the WhatsApp channel makes, with what every call needs: the bearer
 * token, a timeout, Graph's error object turned into `WhatsAppApiError`, and rate-limit answers
 * waited out a bounded number of times. Kept apart from the client so that message building and
 * the 24-hour rule read without HTTP details.
 */
import {
  fetchWithTimeout,
  mediaTypeOf,
  readCapped,
  realSleep,
  retryAfterMs,
  transportReason,
  withRetries,
} from '../messaging/http.js';
import {
  GRAPH_RATE_LIMIT_CODES,
  WhatsAppApiError,
  WhatsAppMediaTooLargeError,
  WhatsAppTransportError,
} from './errors.js';

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

/** The longest wait a `Retry-After` may ask for; a longer one fails at once instead of blocking. */
const MAX_RETRY_AFTER_MS = 30_000;

/**
 * Where Meta serves media from: the hosts a media URL from Graph may point to. The URL comes out
 * of an answer, so it is checked before the bearer token goes with it: the token must never reach
 * a host Graph did not vouch for (a changed answer, a proxy, a bug would otherwise leak it).
 */
const MEDIA_HOST_SUFFIXES = ['.fbcdn.net', '.facebook.com', '.whatsapp.net'];
const MEDIA_HOSTS = new Set(['lookaside.fbsbx.com']);

/** Whether the bearer token may go to `url`: https on a Meta media host. */
export function isMetaMediaUrl(url: URL): boolean {
  if (url.protocol !== 'https:' || url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  return MEDIA_HOSTS.has(host) || MEDIA_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

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
    try {
      return await withRetries(
        {
          maxRetries: this.retries,
          // A long Retry-After is not waited out: the caller (a turn, a proactive send) would block.
          maxWaitMs: MAX_RETRY_AFTER_MS,
          sleep: this.sleep,
          waitMs: (error, attempt) =>
            error instanceof RateLimited ? (error.retryAfterMs ?? 1000 * 2 ** attempt) : undefined,
        },
        () => this.once<T>(method, path, body),
      );
    } catch (error) {
      throw error instanceof RateLimited ? error.apiError : error;
    }
  }

  /**
   * Downloads a media URL Graph gave out (it needs the bearer token too). The token goes only to
   * Meta's media hosts over https (see `isMetaMediaUrl`) or to the configured API base's own
   * origin (a Graph stand-in in tests); a redirect is refused rather than followed, so the token
   * never travels on to another host; more than `maxBytes` is refused before or while reading.
   */
  async download(url: string, maxBytes: number): Promise<MediaFile> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new WhatsAppTransportError('the media URL from Graph is not a URL');
    }
    if (!isMetaMediaUrl(target) && target.origin !== this.origin) {
      throw new WhatsAppTransportError('the media URL from Graph is not on a Meta media host');
    }
    const response = await this.fetch(target, { method: 'GET', redirect: 'error' });
    if (!response.ok) {
      await response.body?.cancel();
      throw new WhatsAppApiError(response.status, 0, 'media download refused');
    }
    const bytes = await readCapped(response, maxBytes, {
      tooLarge: () => new WhatsAppMediaTooLargeError(maxBytes),
      broken: (cause) => new WhatsAppTransportError('the media download failed', { cause }),
    });
    return { bytes, contentType: mediaTypeOf(response.headers.get('content-type')) };
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
      throw new RateLimited(error, retryAfterMs(response));
    }
    throw error;
  }

  private async fetch(url: URL, init: RequestInit): Promise<Response> {
    try {
      return await fetchWithTimeout(
        url,
        {
          ...init,
          headers: {
            ...(init.headers as Record<string, string> | undefined),
            authorization: `Bearer ${this.options.token}`,
            'user-agent': 'lotse-whatsapp',
          },
        },
        { timeoutMs: this.timeoutMs },
      );
    } catch (cause) {
      // The URL is never named: a media address is signed, a Graph path may hold a number.
      throw new WhatsAppTransportError(`Graph: ${transportReason(cause, this.timeoutMs)}`, {
        cause,
      });
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
