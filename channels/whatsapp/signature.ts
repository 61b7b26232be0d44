/**
 * The two secrets of the WhatsApp webhook, checked in constant time: the `X-Hub-Signature-256`
 * header (HMAC-SHA256 of the raw body with the app secret) on every POST, and the verify token
 * of Meta's GET handshake. A comparison that stops at the first wrong byte would let an attacker
 * find a valid signature byte by byte from the response times.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { WhatsAppWebhookErrors } from './errors.js';

const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * Throws unless `header` is `sha256=<hex>` of HMAC-SHA256(appSecret, body): a missing header is a
 * 401 (no credentials), a malformed or wrong one a 403.
 */
export function checkSignature(
  header: string | string[] | undefined,
  body: Buffer,
  appSecret: string,
): void {
  if (header === undefined || header === '') throw WhatsAppWebhookErrors.signatureMissing();
  const match = typeof header === 'string' ? SIGNATURE.exec(header.trim()) : null;
  const expected = createHmac('sha256', appSecret).update(body).digest();
  // A malformed header is compared against a zero buffer, so it costs the same time as a wrong one.
  const given = match ? Buffer.from(match[1] as string, 'hex') : Buffer.alloc(expected.length);
  if (!timingSafeEqual(given, expected) || !match) throw WhatsAppWebhookErrors.signatureInvalid();
}

/** True when `given` equals `secret`, in time independent of where (or whether) they differ. */
export function sameSecret(given: string, secret: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(secret));
}

/** The signature header value Meta would send for `body` (for tools and tests). */
export function signatureFor(body: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}
