import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqlChannelStore } from '../../storage/channel-store.js';
import { migrate, migrations } from '../../storage/migrations.js';
import type { OpenStoresOptions } from '../../storage/open-store.js';
import { SQLITE_FILE_NAME } from '../../storage/open-store.js';
import { openPostgres } from '../../storage/postgres.js';
import type { SqlClient } from '../../storage/sql.js';
import { openSqlite } from '../../storage/sqlite.js';
import type { StoredChoice } from '../../storage/types.js';
import { backends, uniqueId, useStores } from './backends.js';

const invalid = { code: 'LOTSE_STORAGE_INVALID_INPUT' };

const choices = (...titles: string[]): StoredChoice[] =>
  titles.map((title, index) => ({ title, value: { pick: title, index } }));

describe.each(backends)('channel store on $name', (backend) => {
  const context = useStores(backend);
  const store = () => context.stores.channels;

  describe('deliveries', () => {
    it('are new once per channel and delivery id', async () => {
      const id = uniqueId('update');
      expect(await store().firstDelivery('telegram', id)).toBe(true);
      expect(await store().firstDelivery('telegram', id)).toBe(false);
      expect(await store().firstDelivery('whatsapp', id)).toBe(true);
      expect(await store().firstDelivery('telegram', `${id}-2`)).toBe(true);
    });

    it('are new for exactly one of 20 concurrent calls', async () => {
      const id = uniqueId('retry');
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store().firstDelivery('whatsapp', id)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('refuse an over-long channel or delivery id', async () => {
      await expect(store().firstDelivery('x'.repeat(33), 'd')).rejects.toMatchObject(invalid);
      await expect(store().firstDelivery('telegram', 'd'.repeat(257))).rejects.toMatchObject(
        invalid,
      );
      await expect(store().firstDelivery('telegram', '')).rejects.toMatchObject(invalid);
    });
  });

  describe('choices', () => {
    it('come back by token with their JSON values', async () => {
      const conversation = `telegram:${uniqueId('chat')}`;
      const offered: StoredChoice[] = [
        { title: 'Sperrmüll', value: { category: 'bulky', tags: ['a', 'ü'], n: 1.5, ok: true } },
        { title: 'Schlagloch', value: 'pothole' },
        { title: 'Nichts davon', value: null },
        { title: 'Ohne Wert', value: undefined },
      ];
      const shown = await store().rememberChoices(conversation, offered, false);
      expect(shown.map(({ number, title }) => ({ number, title }))).toEqual([
        { number: 1, title: 'Sperrmüll' },
        { number: 2, title: 'Schlagloch' },
        { number: 3, title: 'Nichts davon' },
        { number: 4, title: 'Ohne Wert' },
      ]);
      for (const [index, choice] of shown.entries()) {
        expect(await store().choiceByToken(conversation, choice.token)).toEqual(offered[index]);
      }
    });

    it('have short, unique tokens that fit Telegram’s callback data', async () => {
      const conversation = `telegram:${uniqueId('chat')}`;
      const tokens: string[] = [];
      for (let message = 0; message < 5; message += 1) {
        const shown = await store().rememberChoices(
          conversation,
          choices(...Array.from({ length: 100 }, (_, i) => `Wahl ${i + 1}`)),
          false,
        );
        tokens.push(...shown.map((choice) => choice.token));
      }
      expect(new Set(tokens).size).toBe(500);
      for (const token of tokens) {
        expect(token.length).toBeLessThanOrEqual(16);
        expect(token).toMatch(/^[A-Za-z0-9_-]{8}\.[1-9][0-9]*$/);
      }
    });

    it('are not found from another conversation, or by a forged token', async () => {
      const mine = `telegram:${uniqueId('chat')}`;
      const theirs = `telegram:${uniqueId('chat')}`;
      const [first] = await store().rememberChoices(mine, choices('Ja', 'Nein'), false);
      expect(await store().choiceByToken(theirs, first!.token)).toBeUndefined();
      const setId = first!.token.split('.')[0]!;
      for (const forged of [`${setId}.3`, `${setId}.0`, `${setId}.1.1`, 'nonsense', '', "'; --"]) {
        expect(await store().choiceByToken(mine, forged)).toBeUndefined();
      }
      expect(await store().choiceByToken(mine, first!.token)).toEqual(choices('Ja')[0]);
    });

    it('answer a typed number only from the latest set, and only if it was numbered', async () => {
      const conversation = `matrix:${uniqueId('room')}`;
      expect(await store().choiceByNumber(conversation, 1)).toBeUndefined();
      await store().rememberChoices(conversation, choices('Alt eins', 'Alt zwei'), true);
      expect(await store().choiceByNumber(conversation, 2)).toEqual(choices('x', 'Alt zwei')[1]);
      expect(await store().choiceByNumber(conversation, 3)).toBeUndefined();
      for (const odd of [0, -1, 1.5, Number.NaN, 1e12]) {
        expect(await store().choiceByNumber(conversation, odd)).toBeUndefined();
      }

      const buttons = await store().rememberChoices(conversation, choices('Knopf'), false);
      expect(await store().choiceByNumber(conversation, 1)).toBeUndefined();
      expect(await store().choiceByNumber(conversation, 2)).toBeUndefined();
      // The older numbered set's buttons still work by token.
      expect(await store().choiceByToken(conversation, buttons[0]!.token)).toEqual(
        choices('Knopf')[0],
      );

      await store().rememberChoices(conversation, choices('Neu eins'), true);
      expect(await store().choiceByNumber(conversation, 1)).toEqual(choices('Neu eins')[0]);
      expect(await store().choiceByNumber(conversation, 2)).toBeUndefined();
    });

    it('take the set remembered last as latest, even at the same timestamp', async () => {
      const sameInstant = new SqlChannelStore(context.stores.sql, {
        now: () => new Date('2030-01-01T10:00:00.000Z'),
      });
      const conversation = `whatsapp:${uniqueId('chat')}`;
      for (const title of ['erste', 'zweite', 'dritte']) {
        await sameInstant.rememberChoices(conversation, choices(title), true);
        expect(await sameInstant.choiceByNumber(conversation, 1)).toEqual(choices(title)[0]);
      }
    });

    it('keep only the 5 latest sets of a conversation', async () => {
      const conversation = `telegram:${uniqueId('chat')}`;
      const other = `telegram:${uniqueId('chat')}`;
      const [untouched] = await store().rememberChoices(other, choices('anderer Chat'), false);
      const sets = [];
      for (let message = 1; message <= 7; message += 1) {
        sets.push(
          await store().rememberChoices(conversation, choices(`Nachricht ${message}`), false),
        );
      }
      const found = await Promise.all(
        sets.map((set) => store().choiceByToken(conversation, set[0]!.token)),
      );
      expect(found.map((choice) => choice?.title)).toEqual([
        undefined,
        undefined,
        'Nachricht 3',
        'Nachricht 4',
        'Nachricht 5',
        'Nachricht 6',
        'Nachricht 7',
      ]);
      expect(await store().choiceByToken(other, untouched!.token)).toEqual(
        choices('anderer Chat')[0],
      );
    });

    it('get distinct places in order when remembered concurrently', async () => {
      const conversation = `telegram:${uniqueId('chat')}`;
      const titles = ['a', 'b', 'c', 'd', 'e'];
      const shown = await Promise.all(
        titles.map((title) => store().rememberChoices(conversation, choices(title, title), true)),
      );
      const rows = await context.stores.sql.query<{ seq: number; set_id: string }>(
        'SELECT DISTINCT seq, set_id FROM channel_choices WHERE conversation_id = $1 ORDER BY seq',
        [conversation],
      );
      expect(rows.map((row) => Number(row.seq))).toEqual([1, 2, 3, 4, 5]);
      expect(new Set(rows.map((row) => row.set_id)).size).toBe(5);
      for (const [index, set] of shown.entries()) {
        expect(await store().choiceByToken(conversation, set[1]!.token)).toEqual(
          choices('x', titles[index]!)[1],
        );
      }
      const last = rows[rows.length - 1]!.set_id;
      const latestTitle = titles[shown.findIndex((set) => set[0]!.token.startsWith(`${last}.`))];
      expect(await store().choiceByNumber(conversation, 1)).toEqual(choices(latestTitle!)[0]);
    });

    it('stop counting typed numbers in one conversation only, buttons keep working', async () => {
      const conversation = `telegram:${uniqueId('chat')}`;
      const other = `telegram:${uniqueId('chat')}`;
      const [button] = await store().rememberChoices(conversation, choices('knopf'), false);
      const [mine] = await store().rememberChoices(conversation, choices('weg'), true);
      const [theirs] = await store().rememberChoices(other, choices('bleibt'), true);
      await store().retireNumbers(conversation);
      expect(await store().choiceByNumber(conversation, 1)).toBeUndefined();
      // Pressed buttons (tokens) of earlier messages still work; other chats are untouched.
      expect(await store().choiceByToken(conversation, button!.token)).toEqual(choices('knopf')[0]);
      expect(await store().choiceByToken(conversation, mine!.token)).toEqual(choices('weg')[0]);
      expect(await store().choiceByNumber(other, 1)).toEqual(choices('bleibt')[0]);
      expect(await store().choiceByToken(other, theirs!.token)).toEqual(choices('bleibt')[0]);
      // A new numbered list counts again.
      await store().rememberChoices(conversation, choices('neu'), true);
      expect(await store().choiceByNumber(conversation, 1)).toEqual(choices('neu')[0]);
    });

    it('are pruned with the deliveries after their time', async () => {
      const conversation = `telegram:${uniqueId('chat')}`;
      const delivery = uniqueId('update');
      await store().rememberChoices(conversation, choices('alt'), true);
      expect(await store().firstDelivery('telegram', delivery)).toBe(true);
      expect(await store().pruneBefore('1970-01-01T00:00:00.000Z')).toBe(0);
      expect(await store().pruneBefore('2999-01-01T00:00:00.000Z')).toBeGreaterThanOrEqual(2);
      expect(await store().choiceByNumber(conversation, 1)).toBeUndefined();
      expect(await store().firstDelivery('telegram', delivery)).toBe(true);
    });

    it('keep nothing for an empty list', async () => {
      const conversation = `telegram:${uniqueId('chat')}`;
      await store().rememberChoices(conversation, choices('bleibt'), true);
      expect(await store().rememberChoices(conversation, [], true)).toEqual([]);
      expect(await store().choiceByNumber(conversation, 1)).toEqual(choices('bleibt')[0]);
    });

    it('refuse over-long titles and values, non-JSON values and too many choices', async () => {
      const conversation = `telegram:${uniqueId('chat')}`;
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      for (const broken of [
        [{ title: 'x'.repeat(201), value: 1 }],
        [{ title: '', value: 1 }],
        [{ title: 'ok', value: 'v'.repeat(4095) }],
        [{ title: 'ok', value: circular }],
        [{ title: 'ok', value: 10n }],
        [{ title: 'ok', value: () => 1 }],
        choices(...Array.from({ length: 101 }, (_, i) => `c${i}`)),
      ]) {
        await expect(store().rememberChoices(conversation, broken, false)).rejects.toMatchObject(
          invalid,
        );
      }
      await expect(
        store().rememberChoices('c'.repeat(290), choices('ok'), false),
      ).rejects.toMatchObject(invalid);
      // Exactly 4 KB of JSON is still fine; nothing of the refused lists was kept.
      await store().rememberChoices(conversation, [{ title: 'ok', value: 'v'.repeat(4094) }], true);
      expect(
        await context.stores.sql.query(
          'SELECT number FROM channel_choices WHERE conversation_id = $1',
          [conversation],
        ),
      ).toHaveLength(1);
    });
  });

  describe('chats', () => {
    it('record the last inbound time, moving only forward', async () => {
      const chat = uniqueId('491701234567');
      expect(await store().lastInbound('whatsapp', chat)).toBeUndefined();
      await store().touchChat('whatsapp', chat, '2030-01-01T10:00:00.000Z');
      expect(await store().lastInbound('whatsapp', chat)).toBe('2030-01-01T10:00:00.000Z');
      await store().touchChat('whatsapp', chat, '2030-01-02T09:00:00.000Z');
      expect(await store().lastInbound('whatsapp', chat)).toBe('2030-01-02T09:00:00.000Z');
      await store().touchChat('whatsapp', chat, '2030-01-01T12:00:00.000Z');
      expect(await store().lastInbound('whatsapp', chat)).toBe('2030-01-02T09:00:00.000Z');
      expect(await store().lastInbound('telegram', chat)).toBeUndefined();
    });

    it('refuse a time that is not an ISO-8601 UTC timestamp', async () => {
      for (const at of ['2030-01-01', '2030-01-01T10:00:00Z', 'yesterday', '']) {
        await expect(store().touchChat('whatsapp', 'chat', at)).rejects.toMatchObject(invalid);
      }
    });
  });
});

/** The bare SQL client of a test database, without running any migration. */
async function openClient(options: OpenStoresOptions): Promise<SqlClient> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl)
    : openSqlite(join(options.dataDir, SQLITE_FILE_NAME));
}

describe.each(backends)('migration 8 (messenger channels) on $name', (backend) => {
  it('keeps the data of version 7 and adds working channel tables', async () => {
    const database = await backend.createDatabase();
    try {
      const v7 = await openClient(database.options);
      try {
        expect(await migrate(v7, migrations.slice(0, 7))).toEqual([1, 2, 3, 4, 5, 6, 7]);
        await v7.run(
          `INSERT INTO conversations (id, user_id, created_at) VALUES ('c-old', 'u', 'x')`,
        );
        await v7.run(
          `INSERT INTO staff_presence (username, status, departments, last_seen_at)
           VALUES ('anna', 'available', '[]', '2030-01-01T10:00:00.000Z')`,
        );
      } finally {
        await v7.close();
      }

      const stores = await database.open();
      try {
        expect(await stores.transcripts.getConversation('c-old')).toEqual({
          id: 'c-old',
          userId: 'u',
          createdAt: 'x',
        });
        expect(await stores.presence.online('2030-01-01T00:00:00.000Z')).toHaveLength(1);
        const rows = await stores.sql.query<{ version: number }>(
          'SELECT version FROM schema_migrations WHERE version = 8',
        );
        expect(rows).toHaveLength(1);
        expect(await stores.channels.firstDelivery('telegram', '1')).toBe(true);
        const [choice] = await stores.channels.rememberChoices('telegram:1', choices('a'), true);
        expect(await stores.channels.choiceByToken('telegram:1', choice!.token)).toEqual(
          choices('a')[0],
        );
        await expect(
          stores.sql.run(
            `INSERT INTO channel_choices
               (conversation_id, set_id, number, seq, title, numbered, created_at)
             VALUES ('c', 's', 1, 1, 't', 2, 't')`,
          ),
        ).rejects.toThrow();
      } finally {
        await stores.close();
      }
    } finally {
      await database.dispose();
    }
  });
});
