/**
 * Conversations and their ordered activity logs on SQL, for Direct Line's watermarks and resume.
 *
 * Each conversation row carries a `last_watermark` counter. `append` raises it and inserts the
 * activity in one transaction, so the row lock (PostgreSQL) or the write lock (SQLite) hands out
 * watermarks one at a time: no duplicates, and no gaps, because a failed insert rolls the counter
 * back with it.
 */
import type { Activity } from 'botbuilder';
import { StorageError } from './errors.js';
import type { SqlClient } from './sql.js';
import type { ConversationRecord, TranscriptStore } from './types.js';

export interface SqlTranscriptStoreOptions {
  now?: () => Date;
}

interface ConversationRow {
  id: string;
  user_id: string | null;
  entered_by: string | null;
  created_at: string;
}

export class SqlTranscriptStore implements TranscriptStore {
  private readonly now: () => Date;

  constructor(
    private readonly sql: SqlClient,
    options: SqlTranscriptStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Records a conversation. Creating it again is harmless: the first `createdAt` stays, and the
   * first known `userId` stays too (a later call may fill it in, never change it, because tokens
   * are bound to it). `enteredBy` behaves the same way: who opened it for a caller stays.
   */
  async createConversation(record: ConversationRecord): Promise<void> {
    await this.sql.run(
      `INSERT INTO conversations (id, user_id, entered_by, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET user_id = COALESCE(conversations.user_id, excluded.user_id),
         entered_by = COALESCE(conversations.entered_by, excluded.entered_by)`,
      [record.id, record.userId, record.enteredBy, record.createdAt],
    );
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    const [row] = await this.sql.query<ConversationRow>(
      'SELECT id, user_id, entered_by, created_at FROM conversations WHERE id = $1',
      [id],
    );
    if (!row) return undefined;
    return {
      id: row.id,
      createdAt: row.created_at,
      ...(row.user_id === null ? {} : { userId: row.user_id }),
      ...(row.entered_by === null ? {} : { enteredBy: row.entered_by }),
    };
  }

  /**
   * Appends an activity and returns its watermark (1 for the first). The conversation must exist:
   * one that was deleted — by "Daten löschen" or retention — is not created again by a late
   * reply, status message or turn, which fails with `LOTSE_STORAGE_CONVERSATION_GONE` instead.
   * The activity is stored as JSON: a `Date` comes back as ISO text.
   */
  async append(conversationId: string, activity: Partial<Activity>): Promise<number> {
    const now = this.now().toISOString();
    const json = JSON.stringify(activity);
    return this.sql.transaction(async (tx) => {
      const [row] = await tx.query<{ last_watermark: number }>(
        `UPDATE conversations SET last_watermark = last_watermark + 1 WHERE id = $1
         RETURNING last_watermark`,
        [conversationId],
      );
      if (!row) {
        throw new StorageError(
          'LOTSE_STORAGE_CONVERSATION_GONE',
          'storage: the conversation does not exist (any more)',
        );
      }
      const watermark = Number(row.last_watermark);
      await tx.run(
        `INSERT INTO activities (conversation_id, watermark, activity, created_at)
         VALUES ($1, $2, $3, $4)`,
        [conversationId, watermark, json, now],
      );
      return watermark;
    });
  }

  /**
   * Activities after `watermark`, oldest first, at most `limit` (all when omitted). The returned
   * watermark is the last one listed, or the given one when there is nothing new, so a client can
   * always pass it back unchanged.
   */
  async list(
    conversationId: string,
    watermark: number,
    limit?: number,
  ): Promise<{ activities: Partial<Activity>[]; watermark: number }> {
    assertCount('watermark', watermark, 0);
    if (limit !== undefined) assertCount('limit', limit, 1);
    const rows = await this.sql.query<{ watermark: number; activity: string }>(
      `SELECT watermark, activity FROM activities
       WHERE conversation_id = $1 AND watermark > $2
       ORDER BY watermark${limit === undefined ? '' : ' LIMIT $3'}`,
      limit === undefined ? [conversationId, watermark] : [conversationId, watermark, limit],
    );
    const last = rows.at(-1);
    return {
      activities: rows.map((row) => JSON.parse(row.activity) as Partial<Activity>),
      watermark: last ? Number(last.watermark) : watermark,
    };
  }
}

function assertCount(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new StorageError(
      'LOTSE_STORAGE_INVALID_INPUT',
      `storage: ${name} must be an integer ≥ ${min}, got ${String(value)}`,
    );
  }
}
