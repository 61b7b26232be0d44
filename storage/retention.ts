/**
 * The retention job: deletes transcripts and finished state after the configured period, so the
 * database keeps only what an open matter still needs (data minimisation). Run it on a timer, on
 * one instance or several: every step is an idempotent DELETE, so two runs at once only share
 * the work.
 *
 * - Conversations go whole (activities, state, uploads, choices, feedback, handoffs with them),
 *   and only when their last activity (or creation, without any) is older than `days` and no
 *   handoff is open: a Direct Line client resumes after a watermark, so a conversation that lives
 *   on must never lose part of its log.
 * - Messenger chats (`telegram:`, `whatsapp:`, `matrix:` conversation ids) are the exception: a
 *   chat is one conversation forever, so a user writing every few weeks would keep years of
 *   transcript. Their activities older than `days` go even while the chat is active (unless a
 *   handoff is open, when staff read it); no client reads them by watermark, the staff console
 *   only shows them, and later appends go on with the next watermark.
 * - Uploads older than `days` go, whatever their conversation: backends fetch a photo when the
 *   submission is delivered, a month later it is not needed.
 * - State, closed handoffs, feedback and channel data older than `days` go by their own time;
 *   state of a conversation that still exists stays with it.
 * - The insights (masked questions, flow steps) go after `insightsDays`.
 * - Expired staff sessions go.
 * - Never touched: the outbox (submitted applications belong to the authority and have their own
 *   lifecycle) and profiles (kept with consent until the user says "Daten löschen").
 *
 * Deletes run in rounds of `PURGE_BATCH` rows, each its own short statement or transaction, so a
 * large table is never locked for long.
 */
import type { PurgeCounts } from './conversation-purge.js';
import {
  PURGE_BATCH,
  STATE_KEY_PATTERN,
  deleteInBatches,
  emptyPurgeCounts,
  purgeConversations,
  stateKeyConversationId,
} from './conversation-purge.js';
import { invalidInput, placeholders } from './input-checks.js';
import type { SqlClient } from './sql.js';
import type { RetentionPolicy, RetentionReport, RetentionStore } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const OPEN = `('pending', 'assigned')`;
const CLOSED = `('resolved', 'rejected', 'expired')`;

/**
 * Conversation `c` is idle since before `$1` and has no open handoff. Its last activity is the
 * one with the highest watermark (a primary-key lookup, not a scan of its log).
 */
const IDLE = `c.created_at < $1
  AND COALESCE(
    (SELECT a.created_at FROM activities a WHERE a.conversation_id = c.id
     ORDER BY a.watermark DESC LIMIT 1),
    c.created_at) < $1
  AND NOT EXISTS (
    SELECT 1 FROM handoff_requests h WHERE h.conversation_id = c.id AND h.status IN ${OPEN})`;

/**
 * Conversation ids of the messenger channels (`<channel>:<chat>`, see the messenger adapter).
 * Compared with `substr`, not LIKE: exact and case-sensitive on both engines. Direct Line ids
 * are base64url and never contain a colon.
 */
const MESSENGER_PREFIXES = ['telegram:', 'whatsapp:', 'matrix:'] as const;

/** SQL: the conversation id in `column` belongs to a messenger chat. */
function isMessengerChat(column: string): string {
  return `(${MESSENGER_PREFIXES.map(
    (prefix) => `substr(${column}, 1, ${prefix.length}) = '${prefix}'`,
  ).join(' OR ')})`;
}

export class SqlRetention implements RetentionStore {
  constructor(private readonly sql: SqlClient) {}

  /** Deletes what `policy` says is past its time at `now`; returns the rows deleted per table. */
  async run(now: Date, policy: RetentionPolicy): Promise<RetentionReport> {
    const cutoff = cutoffOf(now, policy.days, 'days');
    const insightsCutoff = cutoffOf(now, policy.insightsDays, 'insightsDays');
    const sql = this.sql;
    const purged = await this.purgeIdleConversations(cutoff);
    const report: RetentionReport = {
      ...purged,
      questionLog: 0,
      flowEvents: 0,
      channelDeliveries: 0,
      staffSessions: 0,
    };
    // The old part of active messenger chats (whole idle ones went above).
    report.activities += await deleteInBatches(
      sql,
      'activities',
      'conversation_id, watermark',
      `created_at < $1 AND ${isMessengerChat('conversation_id')}
       AND NOT EXISTS (
         SELECT 1 FROM handoff_requests h
         WHERE h.conversation_id = activities.conversation_id AND h.status IN ${OPEN})`,
      [cutoff],
    );
    // After the idle conversations are gone, any conversation still there is active (or waits
    // for a person): its state stays even if it did not change for a while.
    report.botState += await deleteInBatches(
      sql,
      'bot_state',
      'key',
      `updated_at < $1
       AND NOT (key LIKE '${STATE_KEY_PATTERN}' AND EXISTS (
         SELECT 1 FROM conversations c WHERE c.id = ${stateKeyConversationId(sql.dialect)}))
       AND NOT EXISTS (
         SELECT 1 FROM handoff_requests h WHERE h.status IN ${OPEN}
           AND key = h.channel || '/conversations/' || h.conversation_id || '/')`,
      [cutoff],
    );
    report.handoffRequests += await deleteInBatches(
      sql,
      'handoff_requests',
      'id',
      `status IN ${CLOSED} AND COALESCE(closed_at, updated_at) < $1`,
      [cutoff],
    );
    report.feedback += await deleteInBatches(
      sql,
      'feedback',
      'conversation_id, activity_id',
      'created_at < $1',
      [cutoff],
    );
    // Old files of active conversations too, and of conversations never recorded.
    report.uploads += await deleteInBatches(sql, 'uploads', 'id', 'created_at < $1', [cutoff]);
    report.channelDeliveries += await deleteInBatches(
      sql,
      'channel_deliveries',
      'channel, delivery_id',
      'created_at < $1',
      [cutoff],
    );
    report.channelChoices += await deleteInBatches(
      sql,
      'channel_choices',
      'conversation_id, set_id, number',
      'created_at < $1',
      [cutoff],
    );
    report.questionLog += await deleteInBatches(sql, 'question_log', 'id', 'created_at < $1', [
      insightsCutoff,
    ]);
    report.flowEvents += await deleteInBatches(sql, 'flow_events', 'id', 'created_at < $1', [
      insightsCutoff,
    ]);
    report.staffSessions += await deleteInBatches(
      sql,
      'staff_sessions',
      'id_hash',
      'expires_at <= $1',
      [now.toISOString()],
    );
    return report;
  }

  /**
   * Deletes idle conversations a batch at a time. Each batch is checked again inside its
   * transaction (on PostgreSQL after locking the rows, which an `append` also locks), so a
   * conversation that got a new message since it was picked stays.
   */
  private async purgeIdleConversations(cutoff: string): Promise<PurgeCounts> {
    const total = emptyPurgeCounts();
    for (;;) {
      const picked = await this.sql.query<{ id: string }>(
        `SELECT c.id FROM conversations c WHERE ${IDLE} ORDER BY c.created_at LIMIT ${PURGE_BATCH}`,
        [cutoff],
      );
      if (picked.length === 0) return total;
      const ids = picked.map((row) => row.id);
      const counts = await this.sql.transaction(async (tx) => {
        if (tx.dialect === 'postgres') {
          await tx.query(
            `SELECT id FROM conversations WHERE id IN (${placeholders(1, ids.length)})
             ORDER BY id FOR UPDATE`,
            ids,
          );
        }
        const idle = await tx.query<{ id: string }>(
          `SELECT c.id FROM conversations c
           WHERE c.id IN (${placeholders(2, ids.length)}) AND ${IDLE}`,
          [cutoff, ...ids],
        );
        return purgeConversations(
          tx,
          idle.map((row) => row.id),
        );
      });
      for (const name of Object.keys(total) as (keyof PurgeCounts)[]) total[name] += counts[name];
      // A short batch was the last; a batch that all turned active is left for the next run.
      if (picked.length < PURGE_BATCH || counts.conversations === 0) return total;
    }
  }
}

/** `now` minus `days` whole days, as ISO text (what every table stores). */
function cutoffOf(now: Date, days: number, name: string): string {
  if (!Number.isFinite(days) || days <= 0) {
    throw invalidInput(`retention ${name} must be a positive number of days, got ${String(days)}`);
  }
  return new Date(now.getTime() - days * DAY_MS).toISOString();
}
