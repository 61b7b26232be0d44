/**
 * The outbox's domain: a citizen's confirmed application ("Submission") waiting for, or past,
 * delivery to a backend. The outbox guarantees that a confirmed submission is never lost: it is
 * written in the same transaction as the conversation state, delivered at least once, and kept
 * (as `dead`) when delivery finally fails, so staff can act on it.
 */
import type { SqlClient } from '../../storage/sql.js';

/**
 * Where a submission stands.
 * - `pending`: waiting for (another) delivery attempt, possibly claimed by a dispatcher right now;
 * - `delivered`: the backend accepted it;
 * - `rejected`: the backend accepted it first and refused it later (status callback);
 * - `dead`: delivery failed for good (the backend refused the data, or every retry failed).
 */
export type OutboxStatus = 'pending' | 'delivered' | 'rejected' | 'dead';

/** The statuses, for validation and CLI options. */
export const OUTBOX_STATUSES: readonly OutboxStatus[] = [
  'pending',
  'delivered',
  'rejected',
  'dead',
];

/** A JSON object: what a flow collected, or a conversation reference. */
export type JsonObject = Record<string, unknown>;

/** What a completed flow hands to the outbox. */
export interface NewSubmission {
  /** The flow that collected the data, e.g. `maengelmelder`. */
  flow: string;
  /** The catalogue service the application is for (LeiKa or catalogue id), when known. */
  serviceId?: string;
  /** The name of the configured connector that delivers it, e.g. `open311`. */
  connector: string;
  /** The collected fields, exactly as the backend should receive them. */
  payload: JsonObject;
  /**
   * How to reach the user later (a Bot Framework conversation reference, kept as plain JSON so
   * flows stay free of botbuilder): the proactive "accepted"/"rejected" message needs it.
   */
  conversation?: JsonObject;
  /**
   * De-duplicates submissions: enqueueing a key that exists returns the existing submission
   * instead of a second one (a double "Absenden", a retried turn). Backends receive it with every
   * delivery attempt to recognise re-deliveries. A random UUID when absent.
   */
  idempotencyKey?: string;
}

/** A stored submission with its delivery state. Timestamps are ISO-8601 UTC text. */
export interface OutboxRecord {
  id: string;
  /** The "Vorgangsnummer" the user was given, e.g. `LT-2026-7K3F-9Q2M`. */
  receipt: string;
  flow: string;
  serviceId?: string;
  connector: string;
  idempotencyKey: string;
  payload: JsonObject;
  conversation?: JsonObject;
  status: OutboxStatus;
  /** Delivery attempts started so far (a claim counts, even if the process died during it). */
  attempts: number;
  /** When the next attempt is due (meaningful while `pending`). */
  nextAttemptAt: string;
  /** Until when a dispatcher holds the submission; another may claim it after this. */
  lockedUntil?: string;
  /** Why the last attempt failed, or why the backend rejected it. */
  lastError?: string;
  /** The backend's id for the case (Open311 `service_request_id`, …), once delivered. */
  backendReference?: string;
  createdAt: string;
  updatedAt: string;
  deliveredAt?: string;
}

/** What a connector receives: the data to deliver, without the conversation (privacy). */
export type OutboxSubmission = Pick<
  OutboxRecord,
  'id' | 'receipt' | 'flow' | 'serviceId' | 'idempotencyKey' | 'payload' | 'createdAt' | 'attempts'
>;

/** The outbox as the dispatcher, the status callback and the CLI use it. */
export interface OutboxStore {
  /** Stores a pending submission; pass a transaction's `tx` to commit it with other writes. */
  enqueue(submission: NewSubmission, tx?: SqlClient): Promise<OutboxRecord>;
  /** Claims up to `limit` due pending submissions for `leaseMs`; each claim counts an attempt. */
  /** Claims due pending submissions; with `connectors`, only those delivered by one of them. */
  claimDue(
    now: Date,
    limit: number,
    leaseMs: number,
    connectors?: readonly string[],
  ): Promise<OutboxRecord[]>;
  markDelivered(id: string, reference?: string): Promise<boolean>;
  markRetry(id: string, error: string, nextAttemptAt: Date): Promise<boolean>;
  markDead(id: string, error: string): Promise<boolean>;
  markRejected(id: string, reason: string): Promise<boolean>;
  /** Puts a dead submission back in the queue with a fresh attempt count (after a fix). */
  requeue(idOrReceipt: string, now: Date): Promise<boolean>;
  list(options?: { status?: OutboxStatus; limit?: number }): Promise<OutboxRecord[]>;
  /** By id, or by receipt as a user types it (any case, with or without dashes). */
  get(idOrReceipt: string): Promise<OutboxRecord | undefined>;
  getByIdempotencyKey(key: string): Promise<OutboxRecord | undefined>;
}

/**
 * What happened to a submission, for the user (proactive message) and for operators (logs).
 * `record` is the submission as the dispatcher or callback saw it, with the conversation.
 */
export type OutboxStatusEvent =
  | { type: 'delivered'; record: OutboxRecord; reference?: string }
  | { type: 'retry-scheduled'; record: OutboxRecord; error: string; nextAttemptAt: string }
  | { type: 'dead'; record: OutboxRecord; error: string }
  | { type: 'rejected'; record: OutboxRecord; reason: string }
  | { type: 'backend-status'; record: OutboxRecord; status: string; message?: string };

/** Receives status events; a failure is logged and does not affect the stored state. */
export type OutboxStatusListener = (event: OutboxStatusEvent) => void | Promise<void>;

/** The pino-compatible subset the outbox logs through. Never given payloads or personal data. */
export interface OutboxLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** A logger that discards everything, the default. */
export const silentLogger: OutboxLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
