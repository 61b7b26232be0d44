/**
 * Status callbacks from backends: after taking a submission, the office's system reports what
 * became of it ("in Bearbeitung", "erledigt", "abgelehnt"). A callback is a signed POST (the same
 * scheme Lotse signs its own webhooks with) of JSON
 *
 *   { "receipt" | "idempotencyKey": "…", "status": "received" | "in-progress" | "completed" |
 *     "rejected", "message"?: "…" }
 *
 * `rejected` changes the stored status (and stops further attempts if the row is still pending);
 * the other statuses change nothing in the outbox. Every accepted callback becomes an
 * `OutboxStatusEvent` with the conversation reference, which the bot turns into a proactive
 * message. This module knows no HTTP: the route hands it the raw body and headers and maps the
 * result's `httpStatus`.
 */
import { z } from 'zod';
import type { HeaderSource } from '../connectors/webhook-signature.js';
import { verifyWebhookSignature } from '../connectors/webhook-signature.js';
import type {
  OutboxLogger,
  OutboxStatusEvent,
  OutboxStatusListener,
  OutboxStore,
} from './types.js';
import { silentLogger } from './types.js';

const callbackSchema = z
  .object({
    receipt: z.string().min(1).max(200).optional(),
    idempotencyKey: z.string().min(1).max(200).optional(),
    status: z.enum(['received', 'in-progress', 'completed', 'rejected']),
    message: z.string().max(2000).optional(),
  })
  .refine((body) => body.receipt !== undefined || body.idempotencyKey !== undefined, {
    message: 'receipt or idempotencyKey is required',
  });

export type BackendStatusCallback = z.infer<typeof callbackSchema>;

/** The outcome of one callback; `httpStatus` is what the route answers. */
export type CallbackResult =
  | { ok: true; httpStatus: 200; event: OutboxStatusEvent }
  | {
      ok: false;
      httpStatus: 400 | 401 | 404 | 409;
      code:
        | 'LOTSE_CALLBACK_UNAUTHENTIC'
        | 'LOTSE_CALLBACK_INVALID'
        | 'LOTSE_CALLBACK_UNKNOWN_SUBMISSION'
        | 'LOTSE_CALLBACK_CONFLICT';
      message: string;
    };

export interface StatusCallbackOptions {
  outbox: Pick<OutboxStore, 'get' | 'getByIdempotencyKey' | 'markRejected'>;
  /** The secret(s) backends sign callbacks with; several while rotating. */
  secrets: string | readonly string[];
  onStatus?: OutboxStatusListener;
  clock?: { now(): Date };
  /** Accepted clock difference, in seconds; default 300. */
  toleranceSeconds?: number;
  logger?: OutboxLogger;
}

/** Checks, applies and reports backend status callbacks. */
export class StatusCallbackHandler {
  private readonly clock: { now(): Date };
  private readonly logger: OutboxLogger;

  constructor(private readonly options: StatusCallbackOptions) {
    this.clock = options.clock ?? { now: () => new Date() };
    this.logger = options.logger ?? silentLogger;
  }

  /** Handles one callback request: `rawBody` exactly as received, headers as the server has them. */
  async handle(rawBody: string | Buffer, headers: HeaderSource): Promise<CallbackResult> {
    const check = verifyWebhookSignature(
      this.options.secrets,
      rawBody,
      headers,
      this.clock.now(),
      this.options.toleranceSeconds,
    );
    if (!check.ok) {
      return failure(401, 'LOTSE_CALLBACK_UNAUTHENTIC', `signature check failed: ${check.reason}`);
    }
    let body: BackendStatusCallback;
    try {
      body = callbackSchema.parse(JSON.parse(rawBody.toString()));
    } catch (error) {
      const reason = error instanceof z.ZodError ? error.issues[0]?.message : 'not JSON';
      return failure(400, 'LOTSE_CALLBACK_INVALID', `invalid status callback: ${reason}`);
    }
    return this.apply(body);
  }

  /** Applies an already authenticated and validated callback (for other transports). */
  async apply(body: BackendStatusCallback): Promise<CallbackResult> {
    const { outbox } = this.options;
    const record = body.receipt
      ? await outbox.get(body.receipt)
      : await outbox.getByIdempotencyKey(body.idempotencyKey ?? '');
    // When both are given both must match: a mix-up at the backend must not hit another case.
    if (!record || (body.idempotencyKey && record.idempotencyKey !== body.idempotencyKey)) {
      return failure(404, 'LOTSE_CALLBACK_UNKNOWN_SUBMISSION', 'no such submission');
    }
    let event: OutboxStatusEvent;
    let notify = true;
    if (body.status === 'rejected') {
      const reason = body.message ?? 'rejected by the backend';
      // A repeated rejection (the backend retried its callback) is acknowledged, not re-announced.
      notify = record.status !== 'rejected';
      if (notify && !(await outbox.markRejected(record.id, reason))) {
        return failure(409, 'LOTSE_CALLBACK_CONFLICT', `submission is ${record.status}`);
      }
      event = { type: 'rejected', record: { ...record, status: 'rejected' }, reason };
    } else {
      event = {
        type: 'backend-status',
        record,
        status: body.status,
        ...(body.message ? { message: body.message } : {}),
      };
    }
    this.logger.info(
      { id: record.id, receipt: record.receipt, status: body.status },
      'outbox: backend status received',
    );
    try {
      if (notify) await this.options.onStatus?.(event);
    } catch (error) {
      this.logger.error({ err: error, id: record.id }, 'outbox: a status listener failed');
    }
    return { ok: true, httpStatus: 200, event };
  }
}

function failure(
  httpStatus: 400 | 401 | 404 | 409,
  code: Extract<CallbackResult, { ok: false }>['code'],
  message: string,
): CallbackResult {
  return { ok: false, httpStatus, code, message };
}
