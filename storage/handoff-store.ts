/**
 * Requests to talk to a person. A conversation has at most one open request (pending or
 * assigned): a partial unique index enforces it in the database, so a user who taps "Mitarbeiter
 * sprechen" twice, or two instances handling their turns at once, still queue one request.
 */
import { randomUUID } from 'node:crypto';
import { StorageError } from './errors.js';
import type { SqlClient } from './sql.js';
import type { HandoffRequest, HandoffStore } from './types.js';

export interface SqlHandoffStoreOptions {
  now?: () => Date;
}

interface HandoffRow {
  id: string;
  conversation_id: string;
  channel: string;
  reason: HandoffRequest['reason'];
  service_id: string | null;
  status: HandoffRequest['status'];
  created_at: string;
}

const COLUMNS = 'id, conversation_id, channel, reason, service_id, status, created_at';
const REASONS: readonly string[] = ['user-request', 'repeated-failure'];
/** Insert-or-read rounds before giving up; more than one only when a request closes meanwhile. */
const ATTEMPTS = 3;

export class SqlHandoffStore implements HandoffStore {
  private readonly now: () => Date;

  constructor(
    private readonly sql: SqlClient,
    options: SqlHandoffStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Queues a pending request, or returns the conversation's open request if there is one. */
  async request(
    input: Omit<HandoffRequest, 'id' | 'status' | 'createdAt'>,
  ): Promise<HandoffRequest> {
    if (!REASONS.includes(input.reason)) {
      throw new StorageError(
        'LOTSE_STORAGE_INVALID_INPUT',
        `storage: handoff reason must be one of ${REASONS.join(', ')}, got ${JSON.stringify(input.reason)}`,
      );
    }
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const now = this.now().toISOString();
      const [inserted] = await this.sql.query<HandoffRow>(
        `INSERT INTO handoff_requests
           (id, conversation_id, channel, reason, service_id, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, $6)
         ON CONFLICT DO NOTHING
         RETURNING ${COLUMNS}`,
        [randomUUID(), input.conversationId, input.channel, input.reason, input.serviceId, now],
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
      `SELECT ${COLUMNS} FROM handoff_requests
       WHERE conversation_id = $1 AND status IN ('pending', 'assigned')`,
      [conversationId],
    );
    return row ? toRequest(row) : undefined;
  }
}

function toRequest(row: HandoffRow): HandoffRequest {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    channel: row.channel,
    reason: row.reason,
    ...(row.service_id === null ? {} : { serviceId: row.service_id }),
    status: row.status,
    createdAt: row.created_at,
  };
}
