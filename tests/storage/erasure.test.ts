/**
 * "Daten löschen" on both backends: everything of user A goes in one transaction, user B (whose
 * ids look alike on purpose) keeps everything, A's submitted application stays without its
 * conversation reference, and asking twice is harmless.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Stores } from '../../storage/open-store.js';
import type { ErasureReport } from '../../storage/types.js';
import { backends, freshStores } from './backends.js';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9, 8, 7]);
const nothing: ErasureReport = {
  profiles: 0,
  conversations: 0,
  activities: 0,
  botState: 0,
  uploads: 0,
  handoffRequests: 0,
  feedback: 0,
  channelChoices: 0,
  channelChats: 0,
  outboxDetached: 0,
};

describe.each(backends)('erasure on $name', (backend) => {
  let stores: Stores;
  let dispose: () => Promise<void>;
  const now = new Date('2030-05-01T08:00:00.000Z');

  beforeEach(async () => {
    ({ stores, dispose } = await freshStores(backend, () => now));
  });

  afterEach(async () => {
    await dispose();
  });

  /** One conversation with everything a user leaves behind in it; returns the receipt. */
  async function fill(channel: string, conversationId: string, userId: string): Promise<string> {
    const at = now.toISOString();
    await stores.transcripts.createConversation({ id: conversationId, userId, createdAt: at });
    await stores.transcripts.append(conversationId, { type: 'message', text: 'Schlagloch' });
    await stores.transcripts.append(conversationId, { type: 'message', text: 'Danke' });
    await stores.state.write({ [`${channel}/conversations/${conversationId}/`]: { lotse: {} } });
    await stores.uploads.put({
      conversationId,
      contentType: 'image/jpeg',
      name: 'foto.jpg',
      bytes: JPEG,
      createdAt: at,
    });
    await stores.channels.rememberChoices(conversationId, [{ title: 'Ja', value: 1 }], true);
    await stores.feedback.record({ conversationId, activityId: 'a1', rating: 'up', createdAt: at });
    await stores.handoffs.request({
      conversationId,
      channel,
      reason: 'user-request',
      department: 'allgemein',
      language: 'de',
      conversation: { conversation: { id: conversationId }, user: { id: userId } },
    });
    const submission = await stores.outbox.enqueue({
      flow: 'maengelmelder',
      connector: 'open311',
      payload: { text: 'Schlagloch' },
      conversation: {
        channelId: channel,
        conversation: { id: conversationId },
        user: { id: userId },
      },
    });
    return submission.receipt;
  }

  it('removes everything of a messenger user and nothing of anyone else', async () => {
    const a = 'telegram:111';
    const b = 'telegram:1111';
    const receiptA = await fill('telegram', 'telegram:111', a);
    const receiptB = await fill('telegram', 'telegram:1111', b);
    await stores.channels.touchChat('telegram', '111', now.toISOString());
    await stores.channels.touchChat('telegram', '1111', now.toISOString());
    await stores.profiles.save(a, { name: 'Anna' }, now.toISOString());
    await stores.profiles.save(b, { name: 'Bernd' }, now.toISOString());

    expect(await stores.erase.eraseUser(a)).toEqual({
      profiles: 1,
      conversations: 1,
      activities: 2,
      botState: 1,
      uploads: 1,
      handoffRequests: 1,
      feedback: 1,
      channelChoices: 1,
      channelChats: 1,
      outboxDetached: 1,
    });

    expect(await stores.profiles.get(a)).toBeUndefined();
    expect(await stores.transcripts.getConversation('telegram:111')).toBeUndefined();
    expect((await stores.transcripts.list('telegram:111', 0)).activities).toEqual([]);
    expect(await stores.handoffs.openFor('telegram:111')).toBeUndefined();
    expect(await stores.channels.lastInbound('telegram', '111')).toBeUndefined();
    const submissionA = await stores.outbox.get(receiptA);
    expect(submissionA?.payload).toEqual({ text: 'Schlagloch' });
    expect(submissionA?.conversation).toBeUndefined();
    const [rawA] = await stores.sql.query<{ conversation: string | null }>(
      'SELECT conversation FROM outbox WHERE receipt = $1',
      [receiptA],
    );
    expect(rawA?.conversation).toBeNull();

    // B, whose ids start like A's, keeps everything.
    expect((await stores.profiles.get(b))?.entries).toEqual({ name: 'Bernd' });
    expect((await stores.transcripts.list('telegram:1111', 0)).watermark).toBe(2);
    expect(await stores.handoffs.openFor('telegram:1111')).toBeDefined();
    expect(await stores.channels.lastInbound('telegram', '1111')).toBe(now.toISOString());
    expect((await stores.outbox.get(receiptB))?.conversation).toMatchObject({ user: { id: b } });
    for (const table of ['bot_state', 'uploads', 'channel_choices', 'feedback']) {
      expect(await stores.sql.query(`SELECT * FROM ${table}`)).toHaveLength(1);
    }

    // Asking again finds nothing, and changes nothing of B.
    expect(await stores.erase.eraseUser(a)).toEqual(nothing);
    expect((await stores.transcripts.list('telegram:1111', 0)).watermark).toBe(2);
  });

  it('removes every conversation of a web chat user, telling ids apart exactly', async () => {
    const a = 'web-anna';
    // B's conversation ids differ from A's only in case or by a suffix: a LIKE or prefix match
    // would take them too.
    await fill('directline', 'Conv_1', a);
    await fill('directline', 'conv-2', a);
    await fill('directline', 'conv_1', 'web-bernd');
    await fill('directline', 'conv-22', 'web-bernd');
    await stores.profiles.save(a, { name: 'Anna' }, now.toISOString());

    expect(await stores.erase.eraseUser(a)).toEqual({
      profiles: 1,
      conversations: 2,
      activities: 4,
      botState: 2,
      uploads: 2,
      handoffRequests: 2,
      feedback: 2,
      channelChoices: 2,
      channelChats: 0,
      outboxDetached: 2,
    });
    const keys = await stores.sql.query<{ key: string }>('SELECT key FROM bot_state ORDER BY key');
    expect(keys.map((row) => row.key)).toEqual([
      'directline/conversations/conv-22/',
      'directline/conversations/conv_1/',
    ]);
    const left = await stores.sql.query<{ id: string }>('SELECT id FROM conversations ORDER BY id');
    expect(left.map((row) => row.id)).toEqual(['conv-22', 'conv_1']);
    const detached = await stores.sql.query<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM outbox WHERE conversation IS NULL',
    );
    expect(Number(detached[0]?.n)).toBe(2);
    expect(await stores.sql.query('SELECT * FROM outbox')).toHaveLength(4);
    expect(await stores.erase.eraseUser(a)).toEqual(nothing);
  });

  it('erases all or nothing: a failure on the way rolls everything back', async () => {
    const a = 'web-anna';
    await fill('directline', 'conv-a', a);
    await stores.profiles.save(a, { name: 'Anna' }, now.toISOString());
    // A corrupt conversation reference makes the last step (detaching the outbox) fail.
    await stores.sql.run(
      `INSERT INTO outbox (id, receipt, flow, connector, idempotency_key, payload, conversation,
         status, next_attempt_at, created_at, updated_at)
       VALUES ('broken', 'LT-BROKEN', 'f', 'c', 'k-broken', '{}', '{not json', 'pending', $1, $1, $1)`,
      [now.toISOString()],
    );
    await expect(stores.erase.eraseUser(a)).rejects.toThrow(/json/i);
    expect(await stores.profiles.get(a)).toBeDefined();
    expect((await stores.transcripts.list('conv-a', 0)).watermark).toBe(2);
    expect(await stores.sql.query('SELECT * FROM bot_state')).toHaveLength(1);
    expect(await stores.sql.query('SELECT * FROM uploads')).toHaveLength(1);

    await stores.sql.run(`DELETE FROM outbox WHERE id = 'broken'`);
    expect((await stores.erase.eraseUser(a)).conversations).toBe(1);
  });

  it('refuses an empty user id', async () => {
    await expect(stores.erase.eraseUser('')).rejects.toMatchObject({
      code: 'LOTSE_STORAGE_INVALID_INPUT',
    });
  });
});
