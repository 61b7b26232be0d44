/**
 * Deleting whole conversations together with everything keyed to them. Retention and erasure
 * both go through here, so they cannot drift apart: a table that later keeps rows per
 * conversation is added once, in `purgeConversations`.
 *
 * Always whole conversations: a Direct Line client resumes after a watermark, so removing some
 * activities of a conversation that lives on would leave gaps it cannot explain. (Retention trims
 * the old activities of messenger chats separately, in storage/retention.ts: no client reads
 * those by watermark.)
 */
import { placeholders } from './input-checks.js';
import type { SqlClient, SqlDialect } from './sql.js';

/** Rows per statement: short IN lists and short lock times on both engines. */
export const PURGE_BATCH = 500;

/** Rows `purgeConversations` deleted, per table. */
export interface PurgeCounts {
  conversations: number;
  activities: number;
  botState: number;
  uploads: number;
  handoffRequests: number;
  feedback: number;
  channelChoices: number;
}

/** All-zero counts, to add batches to. */
export function emptyPurgeCounts(): PurgeCounts {
  return {
    conversations: 0,
    activities: 0,
    botState: 0,
    uploads: 0,
    handoffRequests: 0,
    feedback: 0,
    channelChoices: 0,
  };
}

/**
 * SQL yielding the conversation id of a botbuilder `ConversationState` key,
 * `<channelId>/conversations/<conversationId>/` (botbuilder's format, namespace empty). Only
 * meaningful for keys matching `STATE_KEY_PATTERN`. It differs by engine: SQLite
 * has `instr`, PostgreSQL `strpos`.
 */
export function stateKeyConversationId(dialect: SqlDialect): string {
  const at =
    dialect === 'postgres' ? `strpos(key, '/conversations/')` : `instr(key, '/conversations/')`;
  return `substr(key, ${at} + 15, length(key) - ${at} - 15)`;
}

/** LIKE pattern of conversation state keys (see `stateKeyConversationId`). */
export const STATE_KEY_PATTERN = '%/conversations/%/';

/**
 * Deletes the conversations `ids` with their activities, conversation state, uploads, offered
 * choices, feedback and handoff requests. Run it inside a transaction (`tx`), so a conversation
 * never disappears half. The bot_state lookup scans the table once per batch of conversations.
 */
export async function purgeConversations(
  tx: SqlClient,
  ids: readonly string[],
): Promise<PurgeCounts> {
  const counts = emptyPurgeCounts();
  for (let start = 0; start < ids.length; start += PURGE_BATCH) {
    const batch = ids.slice(start, start + PURGE_BATCH);
    const list = placeholders(1, batch.length);
    const del = async (statement: string) => (await tx.run(statement, batch)).changes;
    // Explicit rather than by the foreign key's cascade, to count them (and not to depend on
    // SQLite's foreign_keys pragma).
    counts.activities += await del(`DELETE FROM activities WHERE conversation_id IN (${list})`);
    counts.botState += await del(
      `DELETE FROM bot_state WHERE key LIKE '${STATE_KEY_PATTERN}'
         AND ${stateKeyConversationId(tx.dialect)} IN (${list})`,
    );
    counts.uploads += await del(`DELETE FROM uploads WHERE conversation_id IN (${list})`);
    counts.channelChoices += await del(
      `DELETE FROM channel_choices WHERE conversation_id IN (${list})`,
    );
    counts.feedback += await del(`DELETE FROM feedback WHERE conversation_id IN (${list})`);
    counts.handoffRequests += await del(
      `DELETE FROM handoff_requests WHERE conversation_id IN (${list})`,
    );
    counts.conversations += await del(`DELETE FROM conversations WHERE id IN (${list})`);
  }
  return counts;
}

/**
 * Deletes the rows of `table` matching `where` in rounds of `PURGE_BATCH`, each round its own
 * statement, so a large table is never locked for long and other writers get in between.
 * `key` names the primary key column(s) (`id`, or `channel, delivery_id`).
 */
export async function deleteInBatches(
  sql: SqlClient,
  table: string,
  key: string,
  where: string,
  params: unknown[],
): Promise<number> {
  const target = key.includes(',') ? `(${key})` : key;
  let total = 0;
  for (;;) {
    const { changes } = await sql.run(
      `DELETE FROM ${table} WHERE ${target} IN (
         SELECT ${key} FROM ${table} WHERE ${where} LIMIT ${PURGE_BATCH}
       )`,
      params,
    );
    total += changes;
    if (changes < PURGE_BATCH) return total;
  }
}
