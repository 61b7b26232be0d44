/**
 * Thumbs up/down on answers, for content editors. One rating per answer and conversation: a
 * citizen who changes their mind replaces their rating instead of counting twice.
 */
import { StorageError } from './errors.js';
import type { SqlClient } from './sql.js';
import type { FeedbackRecord, FeedbackStore } from './types.js';

/** How many ratings `list` returns when no limit is given. */
export const DEFAULT_FEEDBACK_LIMIT = 100;

interface FeedbackRow {
  conversation_id: string;
  activity_id: string;
  service_id: string | null;
  facet: string | null;
  rating: 'up' | 'down';
  created_at: string;
}

export class SqlFeedbackStore implements FeedbackStore {
  constructor(private readonly sql: SqlClient) {}

  /** Stores a rating; a second rating of the same answer replaces the first (and its time). */
  async record(feedback: FeedbackRecord): Promise<void> {
    if (feedback.rating !== 'up' && feedback.rating !== 'down') {
      throw new StorageError(
        'LOTSE_STORAGE_INVALID_INPUT',
        `storage: feedback rating must be "up" or "down", got ${JSON.stringify(feedback.rating)}`,
      );
    }
    await this.sql.run(
      `INSERT INTO feedback (conversation_id, activity_id, service_id, facet, rating, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (conversation_id, activity_id) DO UPDATE
       SET service_id = excluded.service_id, facet = excluded.facet, rating = excluded.rating,
           created_at = excluded.created_at`,
      [
        feedback.conversationId,
        feedback.activityId,
        feedback.serviceId,
        feedback.facet,
        feedback.rating,
        feedback.createdAt,
      ],
    );
  }

  /** The newest ratings first, at most `limit` (default `DEFAULT_FEEDBACK_LIMIT`). */
  async list(options: { limit?: number } = {}): Promise<FeedbackRecord[]> {
    const limit = options.limit ?? DEFAULT_FEEDBACK_LIMIT;
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new StorageError(
        'LOTSE_STORAGE_INVALID_INPUT',
        `storage: feedback limit must be an integer ≥ 1, got ${String(limit)}`,
      );
    }
    const rows = await this.sql.query<FeedbackRow>(
      `SELECT conversation_id, activity_id, service_id, facet, rating, created_at FROM feedback
       ORDER BY created_at DESC, conversation_id, activity_id LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({
      conversationId: row.conversation_id,
      activityId: row.activity_id,
      ...(row.service_id === null ? {} : { serviceId: row.service_id }),
      ...(row.facet === null ? {} : { facet: row.facet }),
      rating: row.rating,
      createdAt: row.created_at,
    }));
  }
}
