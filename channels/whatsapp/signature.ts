/**
 * The `X-Hub-Signature-256` header of the WhatsApp webhook: HMAC-SHA256 of the raw body with the
 * app secret, checked on every POST in constant time (see `sameSecret`). A comparison that stops
 * at the first wrong character would let an attacker find a valid signature piece by piece from
 * the response times. (The verify token of Meta's GET handshake is compared with `sameSecret` in
 * routes.ts.)
 */
import { createHmac } from 'node:crypto';
import { sameSecret } from '../secrets.js';
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
  // Hex is case-insensitive; Meta sends lower case, as `signatureFor` writes it.
  const given = match ? `sha256=${(match[1] as string).toLowerCase()}` : '';
  // A malformed header is compared too, so it costs the same time as a wrong one.
  if (!sameSecret(given, signatureFor(body, appSecret)) || !match) {
    throw WhatsAppWebhookErrors.signatureInvalid();
  }
}

/** The signature header value Meta would send for `body` (for tools and tests). */
export function signatureFor(body: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}
