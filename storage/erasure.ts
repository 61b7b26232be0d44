/**
 * "Daten löschen": removes everything the database keeps about one user, in one transaction, so
 * a failure leaves nothing half erased and the user can simply ask again.
 *
 * Removed: the once-only profile; every conversation recorded for the user id (web chat users,
 * and messenger users such as `telegram:123`) with its activities, state, uploads, offered
 * choices, feedback and handoff requests; for messenger users the chat's last-inbound time.
 *
 * Kept: applications already submitted (the outbox). They belong to the authority now, and the
 * citizen is told so; only their conversation reference, which carries the user's ids and is
 * needed for nothing but status messages to that user, is set to NULL.
 *
 * Not here: what lives outside the database (Redis keys, in-memory caches); the caller erases
 * those too.
 */
import { PURGE_BATCH, emptyPurgeCounts, purgeConversations } from './conversation-purge.js';
import { assertText, placeholders } from './input-checks.js';
import type { SqlClient, SqlDialect } from './sql.js';
import type { ErasureReport, ErasureStore } from './types.js';

/** Longest user id accepted (messenger ids are at most channel + ':' + 256 characters). */
const MAX_USER_ID_LENGTH = 512;

export class SqlErasure implements ErasureStore {
  constructor(private readonly sql: SqlClient) {}

  /** Erases the user's data; a second call finds nothing and returns zeros. */
  async eraseUser(userId: string): Promise<ErasureReport> {
    assertText('user id', userId, MAX_USER_ID_LENGTH);
    return this.sql.transaction(async (tx) => {
      const lock = tx.dialect === 'postgres' ? ' ORDER BY id FOR UPDATE' : '';
      const rows = await tx.query<{ id: string }>(
        `SELECT id FROM conversations WHERE user_id = $1${lock}`,
        [userId],
      );
      const ids = rows.map((row) => row.id);
      const purged = ids.length > 0 ? await purgeConversations(tx, ids) : emptyPurgeCounts();
      const channelChats = await deleteChats(tx, userId, ids);
      const profiles = (await tx.run('DELETE FROM profiles WHERE user_id = $1', [userId])).changes;
      const outboxDetached = await detachOutbox(tx, userId, ids);
      return { ...purged, profiles, channelChats, outboxDetached };
    });
  }
}

/**
 * Removes the conversation reference from the user's submitted applications: those sent from one
 * of the user's conversations `ids`, or addressed to the user id.
 */
async function detachOutbox(
  tx: SqlClient,
  userId: string,
  ids: readonly string[],
): Promise<number> {
  const detach = `UPDATE outbox SET conversation = NULL WHERE conversation IS NOT NULL AND `;
  const referencedUser = jsonText(tx.dialect, 'conversation', ['user', 'id']);
  let detached = (await tx.run(`${detach}${referencedUser} = $1`, [userId])).changes;
  const conversationId = jsonText(tx.dialect, 'conversation', ['conversation', 'id']);
  for (let start = 0; start < ids.length; start += PURGE_BATCH) {
    const batch = ids.slice(start, start + PURGE_BATCH);
    const { changes } = await tx.run(
      `${detach}${conversationId} IN (${placeholders(1, batch.length)})`,
      batch,
    );
    detached += changes;
  }
  return detached;
}

/**
 * Deletes the messenger chats' last-inbound times of the user. A messenger conversation id is
 * `<channel>:<chatId>` and its user id `<channel>:<userId>`; only conversations whose channel
 * prefix matches the user's are taken as messenger chats. The user's own id names a private chat
 * on Telegram and WhatsApp, so that chat goes too.
 */
async function deleteChats(tx: SqlClient, userId: string, ids: readonly string[]): Promise<number> {
  const channel = userId.split(':', 1)[0] ?? '';
  if (channel === userId || channel === '') return 0;
  const prefix = `${channel}:`;
  const chats = new Set([userId.slice(prefix.length)]);
  for (const id of ids) if (id.startsWith(prefix)) chats.add(id.slice(prefix.length));
  const list = [...chats];
  let deleted = 0;
  for (let start = 0; start < list.length; start += PURGE_BATCH) {
    const batch = list.slice(start, start + PURGE_BATCH);
    const { changes } = await tx.run(
      `DELETE FROM channel_chats WHERE channel = $1 AND chat_id IN (${placeholders(2, batch.length)})`,
      [channel, ...batch],
    );
    deleted += changes;
  }
  return deleted;
}

/** SQL reading a text field at `path` of the JSON document in `column`. */
function jsonText(dialect: SqlDialect, column: string, path: readonly string[]): string {
  return dialect === 'postgres'
    ? `(${column}::jsonb #>> '{${path.join(',')}}')`
    : `json_extract(${column}, '$.${path.join('.')}')`;
}
