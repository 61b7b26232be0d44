/**
 * The outbox on the shared SQL client (SQLite embedded, PostgreSQL for several instances). It
 * turns "a citizen confirmed" into a row that survives crashes, and hands rows to dispatchers
 * under a lease:
 *
 * - `enqueue` may run inside the caller's transaction (`stores.sql.transaction(tx => …)` with
 *   `stores.state.withClient(tx)`), so the submission and the conversation's "submitted" state
 *   commit or roll back together;
 * - `claimDue` is one UPDATE … RETURNING statement: on PostgreSQL its CTE takes the rows
 *   `FOR UPDATE SKIP LOCKED`, so concurrent dispatchers get disjoint rows without waiting; on
 *   SQLite the statement holds the database's single write lock. Either way two dispatchers never
 *   hold the same row, and no lock is held across an `await`;
 * - a dispatcher that dies while holding a row simply lets its lease (`locked_until`) run out;
 *   the row is then due again. Delivery is therefore at least once: receivers de-duplicate by
 *   the idempotency key, which stays the same for every attempt;
 * - nothing is ever deleted: a submission that cannot be delivered ends as `dead`, with the
 *   reason, where `lotse outbox list --status dead` shows it and `requeue` can revive it.
 */
import { randomUUID } from 'node:crypto';
import type { SqlClient } from '../../storage/sql.js';
import { OutboxError } from './errors.js';
import type { OutboxRow } from './outbox-rows.js';
import {
  OUTBOX_COLUMNS,
  errorText,
  serialise,
  toRecord,
  validateSubmission,
} from './outbox-rows.js';
import { createReceipt, normaliseReceipt } from './receipt.js';
import type { NewSubmission, OutboxRecord, OutboxStatus, OutboxStore } from './types.js';

export interface SqlOutboxStoreOptions {
  /** The clock for `created_at`, `updated_at` and receipts; tests pass a fixed one. */
  now?: () => Date;
  /** Makes receipt numbers; tests pass a deterministic one to provoke collisions. */
  createReceipt?: (now: Date) => string;
}

/** How often `enqueue` draws a new receipt after a collision before it gives up. */
const RECEIPT_DRAWS = 5;
/** `list` returns at most this many rows unless told otherwise. */
const DEFAULT_LIST_LIMIT = 50;

export class SqlOutboxStore implements OutboxStore {
  private readonly now: () => Date;
  private readonly receipt: (now: Date) => string;

  constructor(
    private readonly sql: SqlClient,
    options: SqlOutboxStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.receipt = options.createReceipt ?? ((now) => createReceipt(now));
  }

  /**
   * Stores a pending submission, due at once, and returns it with its receipt. A submission whose
   * idempotency key is already stored is not stored again: the existing one is returned, so the
   * user sees the same receipt. Pass the transaction's `tx` to commit it with other writes.
   */
  async enqueue(submission: NewSubmission, tx?: SqlClient): Promise<OutboxRecord> {
    const input = validateSubmission(submission);
    const sql = tx ?? this.sql;
    const payload = serialise('payload', input.payload);
    const conversation = input.conversation && serialise('conversation', input.conversation);
    const key = input.idempotencyKey ?? randomUUID();
    for (let draw = 0; draw < RECEIPT_DRAWS; draw += 1) {
      const now = this.now();
      const stamp = now.toISOString();
      // ON CONFLICT DO NOTHING: a duplicate key or receipt must not abort the caller's
      // PostgreSQL transaction, which a unique violation would.
      const [row] = await sql.query<OutboxRow>(
        `INSERT INTO outbox (id, receipt, flow, service_id, connector, idempotency_key, payload,
           conversation, status, attempts, next_attempt_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $9, $9)
         ON CONFLICT DO NOTHING
         RETURNING ${OUTBOX_COLUMNS}`,
        [
          randomUUID(),
          this.receipt(now),
          input.flow,
          input.serviceId,
          input.connector,
          key,
          payload,
          conversation,
          stamp,
        ],
      );
      if (row) return toRecord(row);
      const [existing] = await sql.query<OutboxRow>(
        `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE idempotency_key = $1`,
        [key],
      );
      if (existing) return toRecord(existing);
    }
    throw new OutboxError(
      'LOTSE_OUTBOX_RECEIPT_EXHAUSTED',
      `outbox: no free receipt number after ${RECEIPT_DRAWS} draws`,
    );
  }

  /**
   * Claims up to `limit` pending submissions that are due at `now` and not leased by someone
   * else, leases them until `now + leaseMs` and counts the attempt. Oldest due first.
   */
  async claimDue(
    now: Date,
    limit: number,
    leaseMs: number,
    connectors?: readonly string[],
  ): Promise<OutboxRecord[]> {
    // Submissions for connectors this dispatcher does not have wait untouched (no attempts spent).
    if (connectors && connectors.length === 0) return [];
    const only = connectors
      ? `AND connector IN (${connectors.map((_, i) => `$${i + 4}`).join(', ')})`
      : '';
    const stamp = now.toISOString();
    const lockedUntil = new Date(now.getTime() + leaseMs).toISOString();
    const lock = this.sql.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    // MATERIALIZED: the due rows are chosen (and on PostgreSQL locked) exactly once; an inlined
    // subquery could be re-run by the planner and pick more rows than `limit`.
    const rows = await this.sql.query<OutboxRow>(
      `WITH due AS MATERIALIZED (
         SELECT id FROM outbox
         WHERE status = 'pending' AND next_attempt_at <= $1
           AND (locked_until IS NULL OR locked_until <= $1)
           ${only}
         ORDER BY next_attempt_at, created_at
         LIMIT $3
         ${lock}
       )
       UPDATE outbox
       SET locked_until = $2, attempts = attempts + 1, updated_at = $1
       WHERE id IN (SELECT id FROM due)
       RETURNING ${OUTBOX_COLUMNS}`,
      [stamp, lockedUntil, limit, ...(connectors ?? [])],
    );
    return rows.map(toRecord).sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt));
  }

  /** The backend accepted it. False when the row is no longer pending (nothing changed). */
  async markDelivered(id: string, reference?: string): Promise<boolean> {
    const stamp = this.now().toISOString();
    return this.change(
      `UPDATE outbox SET status = 'delivered', backend_reference = $2, delivered_at = $3,
         updated_at = $3, locked_until = NULL
       WHERE id = $1 AND status = 'pending'`,
      [id, reference, stamp],
    );
  }

  /** The attempt failed for a passing reason; the row is due again at `nextAttemptAt`. */
  async markRetry(id: string, error: string, nextAttemptAt: Date): Promise<boolean> {
    return this.change(
      `UPDATE outbox SET last_error = $2, next_attempt_at = $3, locked_until = NULL, updated_at = $4
       WHERE id = $1 AND status = 'pending'`,
      [id, errorText(error), nextAttemptAt.toISOString(), this.now().toISOString()],
    );
  }

  /** Delivery failed for good; the row is kept with the reason (the dead-letter state). */
  async markDead(id: string, error: string): Promise<boolean> {
    return this.change(
      `UPDATE outbox SET status = 'dead', last_error = $2, locked_until = NULL, updated_at = $3
       WHERE id = $1 AND status = 'pending'`,
      [id, errorText(error), this.now().toISOString()],
    );
  }

  /**
   * The backend refused the case after taking it (a status callback). Also applies to a pending
   * row: the backend may have processed a delivery whose answer never reached us, and a
   * rejection must stop further attempts.
   */
  async markRejected(id: string, reason: string): Promise<boolean> {
    return this.change(
      `UPDATE outbox SET status = 'rejected', last_error = $2, locked_until = NULL, updated_at = $3
       WHERE id = $1 AND status IN ('pending', 'delivered')`,
      [id, errorText(reason), this.now().toISOString()],
    );
  }

  /** A dead submission goes back to `pending`, due at `now`, with its attempts reset. */
  async requeue(idOrReceipt: string, now: Date): Promise<boolean> {
    const record = await this.get(idOrReceipt);
    if (!record) return false;
    return this.change(
      `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2, updated_at = $2
       WHERE id = $1 AND status = 'dead'`,
      [record.id, now.toISOString()],
    );
  }

  /** Newest first, optionally of one status; at most `limit` (default 50). */
  async list(options: { status?: OutboxStatus; limit?: number } = {}): Promise<OutboxRecord[]> {
    const limit = options.limit ?? DEFAULT_LIST_LIMIT;
    const rows = options.status
      ? await this.sql.query<OutboxRow>(
          `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE status = $1
           ORDER BY created_at DESC, id LIMIT $2`,
          [options.status, limit],
        )
      : await this.sql.query<OutboxRow>(
          `SELECT ${OUTBOX_COLUMNS} FROM outbox ORDER BY created_at DESC, id LIMIT $1`,
          [limit],
        );
    return rows.map(toRecord);
  }

  /** By id, or by receipt in any form a person types it. */
  async get(idOrReceipt: string): Promise<OutboxRecord | undefined> {
    const receipt = normaliseReceipt(idOrReceipt) ?? idOrReceipt;
    const [row] = await this.sql.query<OutboxRow>(
      `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE id = $1 OR receipt = $2`,
      [idOrReceipt, receipt],
    );
    return row ? toRecord(row) : undefined;
  }

  /** By the idempotency key the backends know it by (status callbacks may only have that). */
  async getByIdempotencyKey(key: string): Promise<OutboxRecord | undefined> {
    const [row] = await this.sql.query<OutboxRow>(
      `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE idempotency_key = $1`,
      [key],
    );
    return row ? toRecord(row) : undefined;
  }

  private async change(statement: string, params: unknown[]): Promise<boolean> {
    return (await this.sql.run(statement, params)).changes === 1;
  }
}
