/**
 * The outbox's row format and the validation of what callers hand in. Kept apart from the SQL
 * so the store reads as the list of state transitions it is.
 */
import { z } from 'zod';
import { OutboxError } from './errors.js';
import type { JsonObject, NewSubmission, OutboxRecord, OutboxStatus } from './types.js';

/** The columns every query returns, in `OutboxRow` order. */
export const OUTBOX_COLUMNS =
  'id, receipt, flow, service_id, connector, idempotency_key, payload, conversation, status, ' +
  'attempts, next_attempt_at, locked_until, last_error, backend_reference, created_at, ' +
  'updated_at, delivered_at';

export interface OutboxRow {
  id: string;
  receipt: string;
  flow: string;
  service_id: string | null;
  connector: string;
  idempotency_key: string;
  payload: string;
  conversation: string | null;
  status: OutboxStatus;
  attempts: number | string;
  next_attempt_at: string;
  locked_until: string | null;
  last_error: string | null;
  backend_reference: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

const name = z.string().trim().min(1).max(200);
const jsonObject = z.record(z.string(), z.unknown());

const submissionSchema = z.object({
  flow: name,
  serviceId: name.optional(),
  connector: name,
  payload: jsonObject,
  conversation: jsonObject.optional(),
  idempotencyKey: name.optional(),
});

/** Checks a submission before it is stored; throws `LOTSE_OUTBOX_INVALID_SUBMISSION`. */
export function validateSubmission(submission: NewSubmission): NewSubmission {
  const result = submissionSchema.safeParse(submission);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new OutboxError(
      'LOTSE_OUTBOX_INVALID_SUBMISSION',
      `outbox: submission field "${issue?.path.join('.') ?? ''}" is invalid: ${issue?.message ?? ''}`,
    );
  }
  return result.data;
}

/** The payload as stored text; refuses values JSON cannot carry (so nothing is lost silently). */
export function serialise(field: string, value: JsonObject): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw new OutboxError(
      'LOTSE_OUTBOX_INVALID_SUBMISSION',
      `outbox: ${field} is not serialisable as JSON: ${(cause as Error).message}`,
      { cause },
    );
  }
  if (text === undefined || text.length > 1_000_000) {
    throw new OutboxError(
      'LOTSE_OUTBOX_INVALID_SUBMISSION',
      `outbox: ${field} must be a JSON object of at most 1 MB`,
    );
  }
  return text;
}

/** A row as the domain sees it: camelCase, JSON parsed, NULL columns left out. */
export function toRecord(row: OutboxRow): OutboxRecord {
  return {
    id: row.id,
    receipt: row.receipt,
    flow: row.flow,
    ...optional('serviceId', row.service_id),
    connector: row.connector,
    idempotencyKey: row.idempotency_key,
    payload: JSON.parse(row.payload) as JsonObject,
    ...(row.conversation === null
      ? {}
      : { conversation: JSON.parse(row.conversation) as JsonObject }),
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    ...optional('lockedUntil', row.locked_until),
    ...optional('lastError', row.last_error),
    ...optional('backendReference', row.backend_reference),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...optional('deliveredAt', row.delivered_at),
  };
}

function optional<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  return value === null ? {} : ({ [key]: value } as Record<K, string>);
}

/** Error texts end up in a column and on the CLI: one line, bounded. */
export function errorText(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 2000 ? `${line.slice(0, 1999)}…` : line;
}
