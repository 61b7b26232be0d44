/**
 * Requests to talk to a person, queued by department. A conversation has at most one open request
 * (pending or assigned): a partial unique index enforces it in the database, so a user who taps
 * "Mitarbeiter sprechen" twice, or two instances handling their turns at once, still queue one
 * request. Status changes are compare-and-set in one UPDATE … RETURNING, so two agents taking the
 * same request (on one instance or on two) cannot both win; the rules of which change is allowed
 * live in bot/handoff/state-machine.ts, not here.
 */
import { randomUUID } from 'node:crypto';
import { StorageError } from './errors.js';
import {
  assertAllOneOf,
  assertLimit,
  assertOneOf,
  assertText,
  invalidInput,
  placeholders,
} from './input-checks.js';
import type { SqlClient } from './sql.js';
import type { HandoffChange, HandoffRequest, HandoffStatus, HandoffStore } from './types.js';

export interface SqlHandoffStoreOptions {
  now?: () => Date;
}

/** What `request` takes: the caller's part of a request. */
export type NewHandoffRequest = Parameters<HandoffStore['request']>[0];

interface HandoffRow {
  id: string;
  conversation_id: string;
  channel: string;
  reason: HandoffRequest['reason'];
  service_id: string | null;
  department: string;
  language: HandoffRequest['language'];
  conversation: string | null;
  status: HandoffStatus;
  agent: string | null;
  contact: string | null;
  close_reason: string | null;
  created_at: string;
  updated_at: string;
  assigned_at: string | null;
  closed_at: string | null;
}

const COLUMNS = `id, conversation_id, channel, reason, service_id, department, language,
  conversation, status, agent, contact, close_reason, created_at, updated_at, assigned_at,
  closed_at`;
const REASONS: readonly HandoffRequest['reason'][] = ['user-request', 'repeated-failure'];
const LANGUAGES: readonly HandoffRequest['language'][] = ['de', 'en'];
const STATUSES: readonly HandoffStatus[] = [
  'pending',
  'assigned',
  'resolved',
  'rejected',
  'expired',
];
const CLOSED: readonly HandoffStatus[] = ['resolved', 'rejected', 'expired'];
/** Longest department name kept (authority names can be long, queues should not be essays). */
export const MAX_DEPARTMENT_LENGTH = 200;
/** Longest call-back contact (a phone number or an e-mail address). */
export const MAX_CONTACT_LENGTH = 254;
/** Longest staff username or close reason stored with a request. */
const MAX_NAME_LENGTH = 200;
/** `list` returns at most this many requests unless told otherwise, and never more than the max. */
const DEFAULT_LIST_LIMIT = 100;
const MAX_LIST_LIMIT = 1000;
/** Insert-or-read rounds before giving up; more than one only when a request closes meanwhile. */
const ATTEMPTS = 3;
const OPEN_IN = `status IN ('pending', 'assigned')`;

export class SqlHandoffStore implements HandoffStore {
  private readonly now: () => Date;

  constructor(
    private readonly sql: SqlClient,
    options: SqlHandoffStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Queues a pending request, or returns the conversation's open request if there is one. */
  async request(input: NewHandoffRequest): Promise<HandoffRequest> {
    assertOneOf('handoff reason', input.reason, REASONS);
    assertOneOf('handoff language', input.language, LANGUAGES);
    assertText('handoff department', input.department, MAX_DEPARTMENT_LENGTH);
    const conversation = serialiseConversation(input.conversation);
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const now = this.now().toISOString();
      const [inserted] = await this.sql.query<HandoffRow>(
        `INSERT INTO handoff_requests
           (id, conversation_id, channel, reason, service_id, department, language, conversation,
            status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $9)
         ON CONFLICT DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          randomUUID(),
          input.conversationId,
          input.channel,
          input.reason,
          input.serviceId,
          input.department,
          input.language,
          conversation,
          now,
        ],
      );
      if (inserted) return toRequest(inserted);
      const open = await this.openFor(input.conversationId);
      if (open) return open;
    }
    throw new StorageError(
      'LOTSE_STORAGE_CONTENDED',
      `storage: could not queue a handoff for conversation ${input.conversationId}`,
    );
  }

  async openFor(conversationId: string): Promise<HandoffRequest | undefined> {
    const [row] = await this.sql.query<HandoffRow>(
      `SELECT ${COLUMNS} FROM handoff_requests WHERE conversation_id = $1 AND ${OPEN_IN}`,
      [conversationId],
    );
    return row ? toRequest(row) : undefined;
  }

  async get(id: string): Promise<HandoffRequest | undefined> {
    const [row] = await this.sql.query<HandoffRow>(
      `SELECT ${COLUMNS} FROM handoff_requests WHERE id = $1`,
      [id],
    );
    return row ? toRequest(row) : undefined;
  }

  /**
   * Applies `change` only while the request is in one of `from`: one UPDATE whose WHERE checks
   * the status, so of two agents racing for a request exactly one gets it back (on PostgreSQL the
   * loser's UPDATE waits for the winner's row lock, then finds the status changed). Touches
   * `updatedAt`; stamps `assignedAt` on `assigned` and `closedAt` on a closed status.
   */
  async update(
    id: string,
    from: readonly HandoffStatus[],
    change: HandoffChange,
  ): Promise<HandoffRequest | undefined> {
    const fromStatuses = assertAllOneOf('handoff "from" status', from, STATUSES);
    const status = assertOneOf('handoff status', change.status, STATUSES);
    const params: unknown[] = [status, this.now().toISOString()];
    const sets = ['status = $1', 'updated_at = $2'];
    if (status === 'assigned') sets.push('assigned_at = $2');
    if (CLOSED.includes(status)) sets.push('closed_at = $2');
    if (change.agent !== undefined) {
      if (change.agent !== null) assertText('handoff agent', change.agent, MAX_NAME_LENGTH);
      params.push(change.agent);
      sets.push(`agent = $${params.length}`);
    }
    if (change.closeReason !== undefined) {
      assertText('handoff close reason', change.closeReason, MAX_NAME_LENGTH);
      params.push(change.closeReason);
      sets.push(`close_reason = $${params.length}`);
    }
    params.push(id);
    const idParam = params.length;
    params.push(...fromStatuses);
    const where = [
      `id = $${idParam}`,
      `status IN (${placeholders(idParam + 1, fromStatuses.length)})`,
    ];
    if (change.unchangedSince !== undefined) {
      params.push(change.unchangedSince);
      where.push(`updated_at = $${params.length}`);
    }
    const [row] = await this.sql.query<HandoffRow>(
      `UPDATE handoff_requests SET ${sets.join(', ')}
       WHERE ${where.join(' AND ')}
       RETURNING ${COLUMNS}`,
      params,
    );
    return row ? toRequest(row) : undefined;
  }

  /**
   * Requests in one of `statuses`, oldest first (ties by id) or most recently changed first, of
   * one department or agent.
   */
  async list(filter: {
    statuses: readonly HandoffStatus[];
    department?: string;
    agent?: string;
    limit?: number;
    recentFirst?: boolean;
  }): Promise<HandoffRequest[]> {
    const statuses = assertAllOneOf('handoff status', filter.statuses, STATUSES);
    const limit = assertLimit(
      'handoff list limit',
      filter.limit ?? DEFAULT_LIST_LIMIT,
      MAX_LIST_LIMIT,
    );
    const params: unknown[] = [...statuses];
    const where = [`status IN (${placeholders(1, statuses.length)})`];
    if (filter.department !== undefined) {
      params.push(filter.department);
      where.push(`department = $${params.length}`);
    }
    if (filter.agent !== undefined) {
      params.push(filter.agent);
      where.push(`agent = $${params.length}`);
    }
    params.push(limit);
    const rows = await this.sql.query<HandoffRow>(
      `SELECT ${COLUMNS} FROM handoff_requests WHERE ${where.join(' AND ')}
       ORDER BY ${filter.recentFirst ? 'updated_at DESC, id DESC' : 'created_at, id'}
       LIMIT $${params.length}`,
      params,
    );
    return rows.map(toRequest);
  }

  /**
   * Place in the department's queue: 1 + the pending requests of the same department queued
   * earlier (same time: smaller id first, the order `list` shows them in).
   */
  async queuePosition(id: string): Promise<number | undefined> {
    const [row] = await this.sql.query<{ status: HandoffStatus; ahead: number | string }>(
      `SELECT r.status,
         (SELECT count(*) FROM handoff_requests q
          WHERE q.status = 'pending' AND q.department = r.department
            AND (q.created_at < r.created_at OR (q.created_at = r.created_at AND q.id < r.id))
         ) AS ahead
       FROM handoff_requests r WHERE r.id = $1`,
      [id],
    );
    if (row?.status !== 'pending') return undefined;
    return Number(row.ahead) + 1;
  }

  /** Keeps the citizen's call-back contact on an open request; false when closed or unknown. */
  async setContact(id: string, contact: string): Promise<boolean> {
    assertText('handoff contact', contact, MAX_CONTACT_LENGTH);
    const { changes } = await this.sql.run(
      `UPDATE handoff_requests SET contact = $2, updated_at = $3 WHERE id = $1 AND ${OPEN_IN}`,
      [id, contact, this.now().toISOString()],
    );
    return changes > 0;
  }

  async touch(id: string): Promise<void> {
    await this.sql.run(`UPDATE handoff_requests SET updated_at = $2 WHERE id = $1 AND ${OPEN_IN}`, [
      id,
      this.now().toISOString(),
    ]);
  }

  /**
   * Pending requests created before the one cutoff and assigned ones idle since the other. A
   * pending request with a call-back contact is not stale: it waits for someone to call back.
   */
  async stale(cutoff: {
    pendingCreatedBefore: string;
    assignedUpdatedBefore: string;
  }): Promise<HandoffRequest[]> {
    const rows = await this.sql.query<HandoffRow>(
      `SELECT ${COLUMNS} FROM handoff_requests
       WHERE (status = 'pending' AND contact IS NULL AND created_at < $1)
          OR (status = 'assigned' AND updated_at < $2)
       ORDER BY created_at, id`,
      [cutoff.pendingCreatedBefore, cutoff.assignedUpdatedBefore],
    );
    return rows.map(toRequest);
  }
}

/** The conversation reference as JSON text; refuses what JSON cannot carry. */
function serialiseConversation(
  conversation: Record<string, unknown> | undefined,
): string | undefined {
  if (conversation === undefined) return undefined;
  if (typeof conversation !== 'object' || conversation === null || Array.isArray(conversation)) {
    throw invalidInput('handoff conversation must be a plain object (a conversation reference)');
  }
  try {
    return JSON.stringify(conversation);
  } catch (cause) {
    throw invalidInput(
      `handoff conversation cannot be stored as JSON: ${(cause as Error).message}`,
    );
  }
}

function toRequest(row: HandoffRow): HandoffRequest {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    channel: row.channel,
    reason: row.reason,
    ...(row.service_id === null ? {} : { serviceId: row.service_id }),
    department: row.department,
    language: row.language,
    ...(row.conversation === null
      ? {}
      : { conversation: JSON.parse(row.conversation) as Record<string, unknown> }),
    status: row.status,
    ...(row.agent === null ? {} : { agent: row.agent }),
    ...(row.contact === null ? {} : { contact: row.contact }),
    ...(row.close_reason === null ? {} : { closeReason: row.close_reason }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.assigned_at === null ? {} : { assignedAt: row.assigned_at }),
    ...(row.closed_at === null ? {} : { closedAt: row.closed_at }),
  };
}
