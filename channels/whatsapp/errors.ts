/**
 * Every failure of the WhatsApp channel, in one place. Two classes for the Graph API, as grammY
 * has them for Telegram, because callers act differently on them: `WhatsAppApiError` means Graph
 * answered and refused (its code says why — a closed 24-hour window, a bad parameter, a rate
 * limit); `WhatsAppTransportError` means no answer came (timeout, network), so the message may or
 * may not have gone out. Neither ever carries the access token. The webhook's own refusals are
 * `WhatsAppWebhookError`s with a stable code and status.
 */

/** Graph answered with an error object (`{ error: { message, code, error_subcode } }`). */
export class WhatsAppApiError extends Error {
  constructor(
    /** The HTTP status of Graph's answer. */
    readonly status: number,
    /** Graph's `error.code` (e.g. 131047 re-engagement, 130429 throughput), 0 when absent. */
    readonly code: number,
    /** Graph's `error.message`, shortened. */
    readonly graphMessage: string,
    readonly subcode?: number,
  ) {
    super(`whatsapp: Graph answered ${status} (code ${code}): ${graphMessage}`);
    this.name = 'WhatsAppApiError';
  }
}

/** No usable answer from Graph: a timeout, a network failure or a body that is not Graph's. */
export class WhatsAppTransportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`whatsapp: ${message}`, options);
    this.name = 'WhatsAppTransportError';
  }
}

/** A media file larger than Lotse takes: refused before or while downloading it. */
export class WhatsAppMediaTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`whatsapp: the media file is larger than ${maxBytes} bytes`);
    this.name = 'WhatsAppMediaTooLargeError';
  }
}

/** Graph error codes that mean "too many messages now, try again later" (nothing was sent). */
export const GRAPH_RATE_LIMIT_CODES: ReadonlySet<number> = new Set([
  4, // application request limit reached
  80007, // WhatsApp Business Account rate limit
  130429, // throughput of the phone number reached
  131056, // too many messages to the same user (pair rate limit)
]);

/** Graph's code for "outside the 24-hour customer-service window: only a template may be sent". */
export const GRAPH_REENGAGEMENT_CODE = 131047;

/** Stable codes of the webhook's refusals. */
export type WhatsAppWebhookErrorCode =
  | 'SignatureMissing'
  | 'SignatureInvalid'
  | 'BadJson'
  | 'BadPayload'
  | 'PayloadTooLarge'
  | 'UnsupportedMediaType'
  | 'VerificationFailed'
  | 'ServiceError';

/** A refusal of the webhook with the HTTP status and code it is answered with. */
export class WhatsAppWebhookError extends Error {
  constructor(
    readonly code: WhatsAppWebhookErrorCode,
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'WhatsAppWebhookError';
  }

  toBody(): { error: { code: WhatsAppWebhookErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** Constructors for the webhook's refusals, so codes and statuses never drift apart. */
export const WhatsAppWebhookErrors = {
  signatureMissing: () =>
    new WhatsAppWebhookError(
      'SignatureMissing',
      401,
      'whatsapp: the X-Hub-Signature-256 header is missing',
    ),
  signatureInvalid: () =>
    new WhatsAppWebhookError(
      'SignatureInvalid',
      403,
      'whatsapp: the X-Hub-Signature-256 header does not match the body',
    ),
  badJson: () => new WhatsAppWebhookError('BadJson', 400, 'whatsapp: the body is not valid JSON'),
  badPayload: (detail: string) =>
    new WhatsAppWebhookError('BadPayload', 400, `whatsapp: the body is not a webhook: ${detail}`),
  verificationFailed: () =>
    new WhatsAppWebhookError(
      'VerificationFailed',
      403,
      'whatsapp: the verification request does not carry the configured verify token',
    ),
  serviceError: () =>
    new WhatsAppWebhookError('ServiceError', 500, 'whatsapp: the service failed; please retry'),
};

/**
 * Turns anything thrown in the webhook's scope into a coded error: fastify's own 4xx errors (body
 * too large, wrong content type) keep their status; anything else becomes a 500 revealing nothing.
 */
export function toWhatsAppWebhookError(error: unknown): WhatsAppWebhookError {
  if (error instanceof WhatsAppWebhookError) return error;
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  if (status === 413) {
    return new WhatsAppWebhookError('PayloadTooLarge', 413, 'whatsapp: the body is too large');
  }
  if (status === 415) {
    return new WhatsAppWebhookError(
      'UnsupportedMediaType',
      415,
      'whatsapp: the body must be application/json',
    );
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return WhatsAppWebhookErrors.badPayload('the request was malformed');
  }
  return WhatsAppWebhookErrors.serviceError();
}
