/**
 * What the messenger channels keep between webhooks, in SQL (see `ChannelStore`). It lives in the
 * shared database, not in process memory, because a webhook retry or a button press may reach any
 * instance behind the load balancer:
 *
 * - Deliveries are claimed with one INSERT … ON CONFLICT DO NOTHING, so a retried update is
 *   processed once even when two instances receive it at the same moment.
 * - Choices are kept per bot message (a "set") under a random set id. A button carries the short
 *   token `<setId>.<number>` instead of the choice's value, because Telegram's callback_data holds
 *   64 bytes and values can be longer; and the token is looked up in the pressing user's own
 *   conversation only, so a forged token cannot reach another citizen's choices.
 * - Sets are ordered by `seq`, a per-conversation counter (MAX + 1 inside the transaction), never
 *   by timestamp: two sets remembered in the same millisecond still have a well-defined latest.
 *   A unique index on (conversation, seq, number) makes two instances that picked the same `seq`
 *   collide; the loser rolls back and takes the next one.
 * - The last inbound time per chat only moves forward, so a late retry of an old message cannot
 *   shorten WhatsApp's customer-service window.
 */
import { randomBytes } from 'node:crypto';
import { StorageError } from './errors.js';
import { assertText, invalidInput } from './input-checks.js';
import type { SqlClient } from './sql.js';
import type { ChannelStore, StoredChoice } from './types.js';

export interface SqlChannelStoreOptions {
  now?: () => Date;
}

interface ChoiceRow {
  title: string;
  value: string | null;
}

/** Channel ids are short names (`telegram`, `whatsapp`, `matrix`). */
export const MAX_CHANNEL_LENGTH = 32;
/** Chat, delivery and user ids of the messengers (a Matrix room id is at most 255 bytes). */
export const MAX_ID_LENGTH = 256;
/** A conversation id is `<channel>:<chatId>`, so it may be that much longer than a chat id. */
export const MAX_CONVERSATION_ID_LENGTH = MAX_CHANNEL_LENGTH + 1 + MAX_ID_LENGTH;
export const MAX_TITLE_LENGTH = 200;
/** Bytes of a choice's value as JSON: values are small action payloads, not documents. */
export const MAX_VALUE_BYTES = 4096;
/** Choices per message: more than any channel shows (Telegram's keyboard allows 100 buttons). */
export const MAX_CHOICES = 100;
/** Sets kept per conversation: a user may still press a button of a slightly older message. */
export const KEPT_SETS = 5;
/**
 * Rounds of picking a set id and `seq` before giving up. A round is lost only to a concurrent
 * writer of the same conversation that committed that `seq`, so N writers at once all succeed
 * within N rounds; more than two at once (one user, two instances) is not expected.
 */
const ATTEMPTS = 5;
/** 6 random bytes are exactly 8 base64url characters. */
const SET_ID_BYTES = 6;
/** `<8 base64url>.<1–100>`: at most 12 characters. */
const TOKEN = /^([A-Za-z0-9_-]{8})\.([1-9][0-9]{0,2})$/;

/** Thrown inside the transaction to roll back a set that collided with a concurrent one. */
class SetTaken extends Error {}

export class SqlChannelStore implements ChannelStore {
  private readonly now: () => Date;

  constructor(
    private readonly sql: SqlClient,
    options: SqlChannelStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async firstDelivery(channel: string, deliveryId: string): Promise<boolean> {
    assertText('channel', channel, MAX_CHANNEL_LENGTH);
    assertText('delivery id', deliveryId, MAX_ID_LENGTH);
    const { changes } = await this.sql.run(
      `INSERT INTO channel_deliveries (channel, delivery_id, created_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [channel, deliveryId, this.now().toISOString()],
    );
    return changes === 1;
  }

  async rememberChoices(
    conversationId: string,
    choices: StoredChoice[],
    numbered: boolean,
  ): Promise<{ number: number; title: string; token: string }[]> {
    assertText('conversation id', conversationId, MAX_CONVERSATION_ID_LENGTH);
    if (choices.length > MAX_CHOICES) {
      throw invalidInput(`a message offers at most ${MAX_CHOICES} choices, got ${choices.length}`);
    }
    const rows = choices.map((choice) => ({
      title: assertText('choice title', choice.title, MAX_TITLE_LENGTH),
      value: serialiseValue(choice.value),
    }));
    if (rows.length === 0) return [];
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const setId = randomBytes(SET_ID_BYTES).toString('base64url');
      const createdAt = this.now().toISOString();
      try {
        await this.sql.transaction(async (tx) => {
          const [latest] = await tx.query<{ seq: number | string }>(
            'SELECT COALESCE(MAX(seq), 0) AS seq FROM channel_choices WHERE conversation_id = $1',
            [conversationId],
          );
          const seq = Number(latest?.seq ?? 0) + 1;
          for (const [index, row] of rows.entries()) {
            const { changes } = await tx.run(
              `INSERT INTO channel_choices
                 (conversation_id, set_id, number, seq, title, value, numbered, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
               ON CONFLICT DO NOTHING`,
              [conversationId, setId, index + 1, seq, row.title, row.value, numbered, createdAt],
            );
            if (changes !== 1) throw new SetTaken();
          }
          await tx.run(
            `DELETE FROM channel_choices WHERE conversation_id = $1 AND seq < (
               SELECT MIN(seq) FROM (
                 SELECT DISTINCT seq FROM channel_choices WHERE conversation_id = $1
                 ORDER BY seq DESC LIMIT ${KEPT_SETS}
               ) AS kept
             )`,
            [conversationId],
          );
        });
      } catch (error) {
        if (error instanceof SetTaken) continue;
        throw error;
      }
      return rows.map((row, index) => ({
        number: index + 1,
        title: row.title,
        token: `${setId}.${index + 1}`,
      }));
    }
    throw new StorageError(
      'LOTSE_STORAGE_CONTENDED',
      `storage: could not remember choices for conversation ${conversationId}`,
    );
  }

  /** Undefined for a token of another conversation, a forgotten set or a malformed token. */
  async choiceByToken(conversationId: string, token: string): Promise<StoredChoice | undefined> {
    assertText('conversation id', conversationId, MAX_CONVERSATION_ID_LENGTH);
    const match = TOKEN.exec(token);
    if (!match) return undefined;
    const [row] = await this.sql.query<ChoiceRow>(
      `SELECT title, value FROM channel_choices
       WHERE conversation_id = $1 AND set_id = $2 AND number = $3`,
      [conversationId, match[1], Number(match[2])],
    );
    return row && toChoice(row);
  }

  /** Undefined when the latest set was shown as buttons, has no choice `n`, or there is none. */
  async choiceByNumber(conversationId: string, n: number): Promise<StoredChoice | undefined> {
    assertText('conversation id', conversationId, MAX_CONVERSATION_ID_LENGTH);
    if (!Number.isSafeInteger(n) || n < 1 || n > MAX_CHOICES) return undefined;
    const [row] = await this.sql.query<ChoiceRow>(
      `SELECT title, value FROM channel_choices
       WHERE conversation_id = $1 AND number = $2 AND numbered = 1
         AND seq = (SELECT MAX(seq) FROM channel_choices WHERE conversation_id = $1)`,
      [conversationId, n],
    );
    return row && toChoice(row);
  }

  async retireNumbers(conversationId: string): Promise<void> {
    assertText('conversation id', conversationId, MAX_CONVERSATION_ID_LENGTH);
    await this.sql.run(
      'UPDATE channel_choices SET numbered = 0 WHERE conversation_id = $1 AND numbered = 1',
      [conversationId],
    );
  }

  async pruneBefore(before: string): Promise<number> {
    assertIsoTimestamp('prune cutoff', before);
    const deliveries = await this.sql.run('DELETE FROM channel_deliveries WHERE created_at < $1', [
      before,
    ]);
    const choices = await this.sql.run('DELETE FROM channel_choices WHERE created_at < $1', [
      before,
    ]);
    return deliveries.changes + choices.changes;
  }

  /** `at` must be an ISO-8601 UTC timestamp as `Date#toISOString` writes it (compared as text). */
  async touchChat(channel: string, chatId: string, at: string): Promise<void> {
    assertText('channel', channel, MAX_CHANNEL_LENGTH);
    assertText('chat id', chatId, MAX_ID_LENGTH);
    assertIsoTimestamp('inbound time', at);
    await this.sql.run(
      `INSERT INTO channel_chats (channel, chat_id, last_inbound_at) VALUES ($1, $2, $3)
       ON CONFLICT (channel, chat_id) DO UPDATE SET last_inbound_at = excluded.last_inbound_at
       WHERE excluded.last_inbound_at > channel_chats.last_inbound_at`,
      [channel, chatId, at],
    );
  }

  async lastInbound(channel: string, chatId: string): Promise<string | undefined> {
    assertText('channel', channel, MAX_CHANNEL_LENGTH);
    assertText('chat id', chatId, MAX_ID_LENGTH);
    const [row] = await this.sql.query<{ last_inbound_at: string }>(
      'SELECT last_inbound_at FROM channel_chats WHERE channel = $1 AND chat_id = $2',
      [channel, chatId],
    );
    return row?.last_inbound_at;
  }
}

/** The value as JSON text (NULL for `undefined`), refusing what JSON cannot carry or too much. */
function serialiseValue(value: unknown): string | null {
  if (value === undefined) return null;
  let json: string | undefined;
  try {
    json = JSON.stringify(value) as string | undefined;
  } catch (cause) {
    throw invalidInput(`choice value is not JSON: ${(cause as Error).message}`);
  }
  if (json === undefined) throw invalidInput(`choice value is not JSON (${typeof value})`);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_VALUE_BYTES) {
    throw invalidInput(
      `choice value must be at most ${MAX_VALUE_BYTES} bytes as JSON, got ${bytes}`,
    );
  }
  return json;
}

function toChoice(row: ChoiceRow): StoredChoice {
  return {
    title: row.title,
    value: row.value === null ? undefined : (JSON.parse(row.value) as unknown),
  };
}

function assertIsoTimestamp(name: string, value: string): void {
  const time = typeof value === 'string' ? new Date(value) : undefined;
  if (!time || Number.isNaN(time.getTime()) || time.toISOString() !== value) {
    throw invalidInput(
      `${name} must be an ISO-8601 UTC timestamp like 2030-01-01T10:00:00.000Z, got ${JSON.stringify(value)}`,
    );
  }
}
