/**
 * The general-purpose connector: POSTs each submission as JSON to an HTTPS endpoint of the
 * office's own system (a case-management adapter, a low-code workflow, an integration bus),
 * signed so the receiver knows it came from this Lotse and was not replayed.
 *
 * Request: `Content-Type: application/json`, `Idempotency-Key: <key>` (the same on every attempt),
 * `X-Lotse-Timestamp` and `X-Lotse-Signature` (see webhook-signature.ts), body
 * `{ receipt, idempotencyKey, flow, serviceId, submittedAt, attempt, payload }`.
 * Answer: any 2xx accepts; a JSON body `{ "reference": "…" }` (or `id`) is kept as the backend's
 * reference. 408, 429 and 5xx are retried (Retry-After honoured); any other status refuses the
 * submission and dead-letters it with the body's text as the reason.
 */
import { z } from 'zod';
import { OutboxError } from '../outbox/errors.js';
import type { OutboxSubmission } from '../outbox/types.js';
import type { Connector, DeliveryResult } from './connector.js';
import { DEFAULT_TIMEOUT_MS, excerpt, post, statusError } from './http.js';
import { signWebhook } from './webhook-signature.js';

export { verifyWebhookSignature } from './webhook-signature.js';
export type { SignatureCheck } from './webhook-signature.js';

export interface SignedWebhookOptions {
  /** The receiver's URL (https in production; http is accepted for local adapters). */
  url: string;
  /** The shared secret for the HMAC; at least 16 characters. */
  secret: string;
  /** How long the receiver has to answer, in ms; default 30 000. */
  timeoutMs?: number;
  /** The clock for the signature timestamp; tests pass a fake one. */
  now?: () => Date;
}

const identifier = z.union([z.string().min(1).max(200), z.number()]);
const referenceAnswer = z.object({ reference: identifier.optional(), id: identifier.optional() });

export class SignedWebhookConnector implements Connector {
  private readonly now: () => Date;

  constructor(private readonly options: SignedWebhookOptions) {
    let protocol = '';
    try {
      protocol = new URL(options.url).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'https:' && protocol !== 'http:') {
      throw new OutboxError(
        'LOTSE_OUTBOX_INVALID_CONFIG',
        `outbox: webhook url must be an http(s) URL, got ${JSON.stringify(options.url)}`,
      );
    }
    if (options.secret.length < 16) {
      throw new OutboxError(
        'LOTSE_OUTBOX_INVALID_CONFIG',
        'outbox: webhook secret must be at least 16 characters long',
      );
    }
    this.now = options.now ?? (() => new Date());
  }

  async deliver(submission: OutboxSubmission): Promise<DeliveryResult> {
    const body = JSON.stringify({
      receipt: submission.receipt,
      idempotencyKey: submission.idempotencyKey,
      flow: submission.flow,
      serviceId: submission.serviceId ?? null,
      submittedAt: submission.createdAt,
      attempt: submission.attempts,
      payload: submission.payload,
    });
    const { url, secret, timeoutMs = DEFAULT_TIMEOUT_MS } = this.options;
    const answer = await post(
      url,
      body,
      {
        'Content-Type': 'application/json',
        'Idempotency-Key': submission.idempotencyKey,
        ...signWebhook(secret, body, this.now()),
      },
      timeoutMs,
    );
    if (answer.status < 200 || answer.status >= 300) {
      throw statusError(url, answer, excerpt(answer.body), this.now());
    }
    return readReference(answer.body);
  }
}

/** The reference from a JSON answer, if there is one; other bodies are fine and ignored. */
function readReference(body: string): DeliveryResult {
  if (!body.trim()) return {};
  try {
    const parsed = referenceAnswer.safeParse(JSON.parse(body));
    const reference = parsed.success ? (parsed.data.reference ?? parsed.data.id) : undefined;
    return reference === undefined ? {} : { reference: String(reference) };
  } catch {
    return {};
  }
}
