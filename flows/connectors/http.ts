/**
 * One HTTP POST for the HTTP connectors, with the failure modes classified once: no answer
 * (refused, reset, DNS, timeout) is transient; an answer is returned as is for the connector to
 * judge, since what a 200 or 400 body means depends on the backend's protocol. Redirects are not
 * followed: fetch would turn a redirected POST into a GET and lose the submission.
 */
import { DeliveryError, isTransientStatus, parseRetryAfter } from './connector.js';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: string;
}

/** The default time a backend has to answer, in ms; keep it well below the dispatcher's lease. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Answers larger than this are cut (a reference is all we need from them). */
const MAX_ANSWER_CHARS = 64 * 1024;

export async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number = DEFAULT_TIMEOUT_MS,
): Promise<HttpAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new DeliveryError(
      'transient',
      `${describeUrl(url)}: ${networkReason(error, timeoutMs)}`,
      {
        cause: error,
      },
    );
  }
  let text = '';
  try {
    text = (await response.text()).slice(0, MAX_ANSWER_CHARS);
  } catch (error) {
    // The status arrived but the body broke off: for a 2xx we cannot know the outcome for sure,
    // so try again (the idempotency key makes that safe).
    throw new DeliveryError(
      'transient',
      `${describeUrl(url)}: the answer broke off: ${networkReason(error, timeoutMs)}`,
      { cause: error, status: response.status },
    );
  }
  return { status: response.status, headers: response.headers, body: text };
}

/**
 * The error for a non-2xx answer: transient for 408, 429 and 5xx (with Retry-After), permanent
 * otherwise. `detail` is what the backend said, already extracted by the connector.
 */
export function statusError(
  url: string,
  answer: HttpAnswer,
  detail: string,
  now: Date,
): DeliveryError {
  const text = `${describeUrl(url)} answered ${answer.status}${detail ? `: ${detail}` : ''}`;
  if (answer.status >= 300 && answer.status < 400) {
    const location = answer.headers.get('location');
    return new DeliveryError(
      'permanent',
      `${text} (redirect to ${location ?? '?'}; configure the final URL)`,
      {
        status: answer.status,
      },
    );
  }
  if (isTransientStatus(answer.status)) {
    const retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'), now);
    return new DeliveryError('transient', text, {
      status: answer.status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  return new DeliveryError('permanent', text, { status: answer.status });
}

/** The URL without credentials or query (which may hold an api key), for messages. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `POST ${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return 'POST (invalid URL)';
  }
}

function networkReason(error: unknown, timeoutMs: number): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = err.cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  // Not err.message: for a malformed URL fetch writes the whole URL there, keys included.
  return `request failed (${err.name || 'Error'})`;
}

/** A short excerpt of an answer body for messages: one line, bounded. */
export function excerpt(body: string, max = 300): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
