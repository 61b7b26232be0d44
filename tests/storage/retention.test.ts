/**
 * Retention on both backends with a fake clock: idle conversations go whole (with activities,
 * state, uploads, choices), active ones and those waiting for a person stay, active messenger
 * chats lose their old activities, old uploads go whatever their conversation, finished state and
 * closed handoffs go by their own time, insights by their own period; the outbox and profiles are
 * never touched. Each test has its own database, since retention looks at whole tables.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PURGE_BATCH } from '../../storage/conversation-purge.js';
import type { Stores } from '../../storage/open-store.js';
import type { SqlClient } from '../../storage/sql.js';
import type { RetentionReport } from '../../storage/types.js';
import { backends, freshStores } from './backends.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2030-03-01T12:00:00.000Z');
const POLICY = { days: 30, insightsDays: 180 };
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);

const nothing: RetentionReport = {
  conversations: 0,
  activities: 0,
  botState: 0,
  uploads: 0,
  handoffRequests: 0,
  feedback: 0,
  questionLog: 0,
  flowEvents: 0,
  channelDeliveries: 0,
  channelChoices: 0,
  staffSessions: 0,
};

async function count(sql: SqlClient, table: string, where = '1 = 1', params: unknown[] = []) {
  const [row] = await sql.query<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`,
    params,
  );
  return Number(row?.n);
}

describe.each(backends)('retention on $name', (backend) => {
  let time = ago(60);
  let stores: Stores;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    time = ago(60);
    ({ stores, dispose } = await freshStores(backend, () => time));
  });

  afterEach(async () => {
    await dispose();
  });

  /** A Direct Line conversation with one activity and its state, at the clock's time. */
  async function conversation(id: string, userId = `web-${id}`) {
    await stores.transcripts.createConversation({
      id,
      userId,
      createdAt: time.toISOString(),
    });
    await stores.transcripts.append(id, { type: 'message', text: `hallo ${id}` });
    await stores.state.write({ [`directline/conversations/${id}/`]: { lotse: { step: 1 } } });
  }

  it('deletes an idle conversation whole and keeps an active one and one waiting for a person', async () => {
    await conversation('idle');
    await stores.uploads.put({
      conversationId: 'idle',
      contentType: 'image/jpeg',
      name: 'schaden.jpg',
      bytes: JPEG,
      createdAt: time.toISOString(),
    });
    await stores.channels.rememberChoices('idle', [{ title: 'Ja', value: 'ja' }], true);
    await conversation('active');
    await conversation('waiting');
    const handoff = await stores.handoffs.request({
      conversationId: 'waiting',
      channel: 'directline',
      reason: 'user-request',
      department: 'allgemein',
      language: 'de',
    });
    const receipt = (
      await stores.outbox.enqueue({
        flow: 'maengelmelder',
        connector: 'open311',
        payload: { text: 'Schlagloch' },
        conversation: { conversation: { id: 'idle' }, user: { id: 'web-idle' } },
      })
    ).receipt;
    await stores.profiles.save('web-idle', { name: 'Erika' }, time.toISOString());

    time = ago(1);
    await stores.transcripts.append('active', { type: 'message', text: 'noch da' });

    expect(await stores.retention.run(NOW, POLICY)).toEqual({
      ...nothing,
      conversations: 1,
      activities: 1,
      botState: 1,
      uploads: 1,
      channelChoices: 1,
    });

    expect(await stores.transcripts.getConversation('idle')).toBeUndefined();
    expect(await count(stores.sql, 'activities', 'conversation_id = $1', ['idle'])).toBe(0);
    expect(await stores.state.read(['directline/conversations/idle/'])).toEqual({});
    expect(await count(stores.sql, 'uploads')).toBe(0);
    expect(await count(stores.sql, 'channel_choices')).toBe(0);

    // The active conversation keeps its whole log, its state (unchanged for 60 days) and goes on
    // with the next watermark.
    expect((await stores.transcripts.list('active', 0)).watermark).toBe(2);
    expect(Object.keys(await stores.state.read(['directline/conversations/active/']))).toHaveLength(
      1,
    );
    expect(await stores.transcripts.append('active', { type: 'message' })).toBe(3);
    // The one waiting for a person stays as it is.
    expect((await stores.transcripts.list('waiting', 0)).watermark).toBe(1);
    expect(await stores.handoffs.get(handoff.id)).toEqual(handoff);
    expect(
      Object.keys(await stores.state.read(['directline/conversations/waiting/'])),
    ).toHaveLength(1);
    // Never touched: the submitted application (with its reference) and the consented profile.
    expect((await stores.outbox.get(receipt))?.conversation).toEqual({
      conversation: { id: 'idle' },
      user: { id: 'web-idle' },
    });
    expect((await stores.profiles.get('web-idle'))?.entries).toEqual({ name: 'Erika' });

    // Nothing left to do: a second run deletes nothing.
    expect(await stores.retention.run(NOW, POLICY)).toEqual(nothing);
  });

  it('trims the old activities of active messenger chats and keeps web chats whole', async () => {
    /** A conversation with messages at the clock's time. */
    async function chat(id: string, ...texts: string[]) {
      if (!(await stores.transcripts.getConversation(id))) {
        await stores.transcripts.createConversation({
          id,
          userId: id,
          createdAt: time.toISOString(),
        });
      }
      for (const text of texts) await stores.transcripts.append(id, { type: 'message', text });
    }
    const texts = async (id: string) =>
      (await stores.transcripts.list(id, 0)).activities.map((activity) => activity.text);

    await chat('telegram:42', 'alt 1', 'alt 2');
    await chat('matrix:!raum:example.org', 'alt');
    await chat('whatsapp:4915100000000', 'alt');
    await stores.handoffs.request({
      conversationId: 'whatsapp:4915100000000',
      channel: 'whatsapp',
      reason: 'user-request',
      department: 'allgemein',
      language: 'de',
    });
    // A Direct Line id (base64url) and one that only looks like a prefix in another case.
    await chat('Zm9vYmFyLWJhei1xdXV4', 'alt 1', 'alt 2');
    await chat('Telegram:7', 'alt');

    time = ago(1);
    await chat('telegram:42', 'neu');
    await chat('matrix:!raum:example.org', 'neu');
    await chat('whatsapp:4915100000000', 'neu');
    await chat('Zm9vYmFyLWJhei1xdXV4', 'neu');
    await chat('Telegram:7', 'neu');

    expect(await stores.retention.run(NOW, POLICY)).toEqual({ ...nothing, activities: 3 });

    // The messenger chats keep their recent part and go on with the next watermark.
    expect(await texts('telegram:42')).toEqual(['neu']);
    expect((await stores.transcripts.list('telegram:42', 0)).watermark).toBe(3);
    expect(await stores.transcripts.append('telegram:42', { type: 'message' })).toBe(4);
    expect(await texts('matrix:!raum:example.org')).toEqual(['neu']);
    // Staff serving the open handoff read the whole chat; the web chat keeps its whole log.
    expect(await texts('whatsapp:4915100000000')).toEqual(['alt', 'neu']);
    expect(await texts('Zm9vYmFyLWJhei1xdXV4')).toEqual(['alt 1', 'alt 2', 'neu']);
    expect(await texts('Telegram:7')).toEqual(['alt', 'neu']);

    expect(await stores.retention.run(NOW, POLICY)).toEqual(nothing);
  });

  it('deletes old uploads of active conversations and keeps recent ones', async () => {
    await conversation('web');
    const upload = () =>
      stores.uploads.put({
        conversationId: 'web',
        contentType: 'image/jpeg',
        name: 'schaden.jpg',
        bytes: JPEG,
        createdAt: time.toISOString(),
      });
    const old = await upload();
    time = ago(1);
    await stores.transcripts.append('web', { type: 'message', text: 'noch da' });
    const recent = await upload();

    expect(await stores.retention.run(NOW, POLICY)).toEqual({ ...nothing, uploads: 1 });
    expect(await stores.uploads.get(old)).toBeUndefined();
    expect((await stores.uploads.get(recent))?.bytes).toEqual(JPEG);
    expect((await stores.transcripts.list('web', 0)).watermark).toBe(2);
  });

  it('deletes finished state, closed handoffs, feedback and channel data by their own time', async () => {
    // State of a channel without transcripts: old goes, recent stays; an open handoff keeps it.
    await stores.state.write({ 'msteams/conversations/old/': { lotse: {} } });
    await stores.state.write({ 'msteams/conversations/held/': { lotse: {} } });
    const held = await stores.handoffs.request({
      conversationId: 'held',
      channel: 'msteams',
      reason: 'user-request',
      department: 'allgemein',
      language: 'de',
    });
    const closedOld = await stores.handoffs.request({
      conversationId: 'closed-old',
      channel: 'msteams',
      reason: 'repeated-failure',
      department: 'allgemein',
      language: 'de',
    });
    await stores.handoffs.update(closedOld.id, ['pending'], { status: 'expired' });
    await stores.feedback.record({
      conversationId: 'x',
      activityId: 'a-old',
      rating: 'up',
      createdAt: time.toISOString(),
    });
    await stores.channels.firstDelivery('telegram', 'update-old');
    await stores.channels.rememberChoices('telegram:1', [{ title: 'A', value: 1 }], false);
    await stores.staffSessions.create({
      idHash: 'expired',
      username: 'anna',
      csrfToken: 'c',
      createdAt: time.toISOString(),
      lastSeenAt: time.toISOString(),
      expiresAt: ago(59).toISOString(),
    });

    time = ago(2);
    await stores.state.write({ 'msteams/conversations/recent/': { lotse: {} } });
    const closedRecent = await stores.handoffs.request({
      conversationId: 'closed-recent',
      channel: 'msteams',
      reason: 'user-request',
      department: 'allgemein',
      language: 'de',
    });
    await stores.handoffs.update(closedRecent.id, ['pending'], { status: 'resolved' });
    await stores.feedback.record({
      conversationId: 'x',
      activityId: 'a-new',
      rating: 'down',
      createdAt: time.toISOString(),
    });
    await stores.channels.firstDelivery('telegram', 'update-new');
    await stores.staffSessions.create({
      idHash: 'valid',
      username: 'anna',
      csrfToken: 'c',
      createdAt: time.toISOString(),
      lastSeenAt: time.toISOString(),
      expiresAt: new Date(NOW.getTime() + DAY).toISOString(),
    });

    expect(await stores.retention.run(NOW, POLICY)).toEqual({
      ...nothing,
      botState: 1,
      handoffRequests: 1,
      feedback: 1,
      channelDeliveries: 1,
      channelChoices: 1,
      staffSessions: 1,
    });
    const keys = await stores.sql.query<{ key: string }>('SELECT key FROM bot_state ORDER BY key');
    expect(keys.map((row) => row.key)).toEqual([
      'msteams/conversations/held/',
      'msteams/conversations/recent/',
    ]);
    expect(await stores.handoffs.get(closedOld.id)).toBeUndefined();
    expect((await stores.handoffs.get(closedRecent.id))?.status).toBe('resolved');
    expect((await stores.handoffs.get(held.id))?.status).toBe('pending');
    expect((await stores.feedback.list()).map((f) => f.activityId)).toEqual(['a-new']);
    expect(await stores.channels.firstDelivery('telegram', 'update-new')).toBe(false);
    expect(await stores.channels.firstDelivery('telegram', 'update-old')).toBe(true);
    expect(await stores.staffSessions.get('expired')).toBeUndefined();
    expect(await stores.staffSessions.get('valid')).toBeDefined();
  });

  it('keeps the insights for their own, longer period', async () => {
    const question = (createdAt: Date, text: string) =>
      stores.insights.recordQuestion({
        text,
        groupKey: text,
        language: 'de',
        outcome: 'abstained',
        confidence: 0.1,
        createdAt: createdAt.toISOString(),
      });
    const step = (createdAt: Date, runId: string) =>
      stores.insights.recordFlowEvent({
        runId,
        flow: 'maengelmelder',
        event: 'started',
        createdAt: createdAt.toISOString(),
      });
    await question(ago(181), 'zu alt');
    await question(ago(179), 'noch gut');
    await step(ago(181), 'run-old');
    await step(ago(60), 'run-kept');

    expect(await stores.retention.run(NOW, POLICY)).toEqual({
      ...nothing,
      questionLog: 1,
      flowEvents: 1,
    });
    const texts = await stores.sql.query<{ text: string }>('SELECT text FROM question_log');
    expect(texts.map((row) => row.text)).toEqual(['noch gut']);
    const runs = await stores.sql.query<{ run_id: string }>('SELECT run_id FROM flow_events');
    expect(runs.map((row) => row.run_id)).toEqual(['run-kept']);
  });

  it(`works through more rows than one batch (${PURGE_BATCH}) in several rounds`, async () => {
    const total = PURGE_BATCH * 2 + 7;
    const stamp = ago(40).toISOString();
    const ids = Array.from({ length: total }, (_, i) => `bulk-${String(i).padStart(5, '0')}`);
    await stores.sql.transaction(async (tx) => {
      for (const id of ids) {
        await tx.run(
          'INSERT INTO conversations (id, user_id, created_at, last_watermark) VALUES ($1, $2, $3, 2)',
          [id, `web-${id}`, stamp],
        );
        for (const watermark of [1, 2]) {
          await tx.run(
            `INSERT INTO activities (conversation_id, watermark, activity, created_at)
             VALUES ($1, $2, '{}', $3)`,
            [id, watermark, stamp],
          );
        }
        await tx.run(
          `INSERT INTO bot_state (key, etag, document, updated_at) VALUES ($1, 'e', '{}', $2)`,
          [`telegram/conversations/${id}/`, stamp],
        );
        await tx.run(
          `INSERT INTO question_log (id, text, group_key, language, outcome, confidence, created_at)
           VALUES ($1, 't', 'g', 'de', 'answered', 1, $2)`,
          [id, ago(200).toISOString()],
        );
      }
    });

    expect(await stores.retention.run(NOW, POLICY)).toEqual({
      ...nothing,
      conversations: total,
      activities: total * 2,
      botState: total,
      questionLog: total,
    });
    for (const table of ['conversations', 'activities', 'bot_state', 'question_log']) {
      expect(await count(stores.sql, table)).toBe(0);
    }
  });

  it('refuses a period that is not a positive number of days', async () => {
    await expect(stores.retention.run(NOW, { days: 0, insightsDays: 180 })).rejects.toMatchObject({
      code: 'LOTSE_STORAGE_INVALID_INPUT',
    });
    await expect(
      stores.retention.run(NOW, { days: 30, insightsDays: Number.NaN }),
    ).rejects.toMatchObject({ code: 'LOTSE_STORAGE_INVALID_INPUT' });
  });
});
