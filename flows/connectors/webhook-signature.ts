/**
 * Signing of webhook requests, both ways: Lotse signs the submissions it posts, and backends sign
 * the status callbacks they post back. The scheme is the one Stripe and GitHub made familiar:
 *
 *   X-Lotse-Timestamp: <unix seconds>
 *   X-Lotse-Signature: sha256=<hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)>
 *
 * The timestamp is inside the MAC, so a captured request cannot be replayed later than the
 * tolerance; within it, receivers de-duplicate by `Idempotency-Key` as they must anyway
 * (deliveries are at least once). Verification compares in constant time and accepts a list of
 * secrets, so a secret can be rotated without a window of rejected requests.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-lotse-timestamp';
export const SIGNATURE_HEADER = 'x-lotse-signature';
const SCHEME = 'sha256=';

/** The default tolerance for clock skew and transit, in seconds (five minutes). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The two signature headers for `rawBody` sent at `now`. */
export function signWebhook(
  secret: string,
  rawBody: string,
  now: Date,
): { 'X-Lotse-Timestamp': string; 'X-Lotse-Signature': string } {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    'X-Lotse-Timestamp': timestamp,
    'X-Lotse-Signature': SCHEME + mac(secret, timestamp, rawBody).toString('hex'),
  };
}

/** Request headers as Node (`IncomingHttpHeaders`, lower-case keys) or fetch (`Headers`) has them. */
export type HeaderSource = Headers | Readonly<Record<string, string | string[] | undefined>>;

/** Why a request was refused; `ok` when it is authentic and fresh. */
export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'missing-headers' | 'malformed' | 'stale' | 'mismatch' };

/**
 * Checks that `rawBody` (the exact bytes received, before any JSON parsing) was signed with one
 * of `secrets` at a time within `toleranceSeconds` of `now`, in either direction.
 */
export function verifyWebhookSignature(
  secrets: string | readonly string[],
  rawBody: string | Buffer,
  headers: HeaderSource,
  now: Date,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): SignatureCheck {
  const timestamp = header(headers, TIMESTAMP_HEADER);
  const signature = header(headers, SIGNATURE_HEADER);
  if (timestamp === undefined || signature === undefined) {
    return { ok: false, reason: 'missing-headers' };
  }
  if (!/^\d{1,12}$/.test(timestamp) || !/^sha256=[0-9a-f]{64}$/i.test(signature)) {
    return { ok: false, reason: 'malformed' };
  }
  const seconds = Number(timestamp);
  if (Math.abs(now.getTime() / 1000 - seconds) > toleranceSeconds) {
    return { ok: false, reason: 'stale' };
  }
  const given = Buffer.from(signature.slice(SCHEME.length), 'hex');
  const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  // Every secret is tried, so the time taken does not reveal which one matched.
  let matched = false;
  for (const secret of list) {
    if (timingSafeEqual(mac(secret, timestamp, body), given)) matched = true;
  }
  return matched ? { ok: true, timestamp: seconds } : { ok: false, reason: 'mismatch' };
}

function mac(secret: string, timestamp: string, rawBody: string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest();
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | string[] | undefined>>;
  const value =
    record[name] ??
    Object.entries(record).find(([key]) => key.toLowerCase() === name)?.[1] ??
    undefined;
  return Array.isArray(value) ? value[0] : value;
}
