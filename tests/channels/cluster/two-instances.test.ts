/**
 * Two Lotse instances in one test — different ports, the same PostgreSQL database and the same
 * Redis — as behind a load balancer: a conversation started on A continues on B; A's Direct Line
 * WebSocket receives the replies produced on B; the staff console on A hears a citizen whose turn
 * ran on B; "Daten löschen" on B removes the citizen's data from PostgreSQL and their counters
 * from Redis.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { redisCluster, type Cluster } from '../../../channels/cluster/cluster.js';
import { loadConfig } from '../../../channels/config.js';
import { buildServer, type LotseServer } from '../../../channels/server.js';
import { openKnowledge, type KnowledgeBase } from '../../../knowledge/knowledge-base.js';
import { openStores, type Stores } from '../../../storage/open-store.js';
import { backends, type TestDatabase } from '../../storage/backends.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'two-instances-directline-secret-0123456789';

interface Instance {
  server: LotseServer;
  stores: Stores;
  cluster: Cluster;
  origin: string;
}

const prefix = `lotse-test-${randomBytes(4).toString('hex')}:`;
let database: TestDatabase;
let knowledge: KnowledgeBase;
let dataDir: string;
let a: Instance;
let b: Instance;

async function start(): Promise<Instance> {
  const databaseUrl = database.options.databaseUrl!;
  const config = loadConfig({
    LOTSE_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    LOTSE_DIRECTLINE_SECRET: SECRET,
  });
  const stores = await openStores({ dataDir, databaseUrl });
  const cluster = await redisCluster(REDIS_URL, { warn: () => undefined }, { keyPrefix: prefix });
  const server = await buildServer({
    config,
    knowledge,
    stores,
    directLineSecret: SECRET,
    cluster,
  });
  const origin = await server.app.listen({ host: '127.0.0.1', port: 0 });
  return { server, stores, cluster, origin };
}

async function stop(instance: Instance | undefined): Promise<void> {
  if (!instance) return;
  await instance.server.app.close();
  await instance.server.directLineAdapter.whenIdle();
  await instance.cluster.close();
  await instance.stores.close();
}

beforeAll(async () => {
  database = await backends.find((x) => x.name === 'postgres')!.createDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'lotse-two-'));
  knowledge = await openKnowledge({ dataDir });
  a = await start();
  b = await start();
});
afterAll(async () => {
  await stop(a);
  await stop(b);
  await database?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
  const admin = new Redis(REDIS_URL);
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length) await admin.del(...keys);
  await admin.quit();
});

/** A web chat conversation whose token came from `on`. */
async function startChat(on: Instance) {
  const res = await fetch(`${on.origin}/api/webchat/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  return (await res.json()) as { conversationId: string; token: string; userId: string };
}

async function post(on: Instance, chat: { conversationId: string; token: string }, text: string) {
  const res = await fetch(
    `${on.origin}/v3/directline/conversations/${chat.conversationId}/activities`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${chat.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', from: { id: 'x' }, text }),
    },
  );
  expect(res.status).toBe(200);
  await on.server.directLineAdapter.whenIdle();
  return ((await res.json()) as { id: string }).id;
}

async function botTexts(on: Instance, chat: { conversationId: string; token: string }) {
  const res = await fetch(
    `${on.origin}/v3/directline/conversations/${chat.conversationId}/activities`,
    { headers: { authorization: `Bearer ${chat.token}` } },
  );
  const page = (await res.json()) as { activities: { text?: string; from: { role?: string } }[] };
  return page.activities.filter((x) => x.from.role === 'bot').map((x) => x.text ?? '');
}

describe('two instances on one PostgreSQL and one Redis', () => {
  it('continues on B a conversation started on A, with tokens from either', async () => {
    const chat = await startChat(a);
    await post(a, chat, 'Was kostet ein Personalausweis?');
    await post(b, chat, 'Und wo ist das?');
    const texts = await botTexts(a, chat);
    expect(texts.join('\n')).toContain('27,60 Euro');
    // The follow-up on B knew the service in context from A's turn (state in PostgreSQL).
    expect(texts.at(-1)).toContain('**Personalausweis**');
  });

  it('delivers a reply produced on B to the WebSocket held by A', async () => {
    const chat = await startChat(a);
    const opened = await fetch(`${a.origin}/v3/directline/conversations/${chat.conversationId}`, {
      headers: { authorization: `Bearer ${chat.token}` },
    });
    const { streamUrl } = (await opened.json()) as { streamUrl: string };
    expect(new URL(streamUrl).port).toBe(new URL(a.origin).port);
    const socket = new WebSocket(streamUrl);
    const received: string[] = [];
    const answered = new Promise<void>((resolve) => {
      socket.on('message', (data) => {
        const text = data.toString();
        if (!text) return;
        const { activities } = JSON.parse(text) as {
          activities: { text?: string; from: { role?: string } }[];
        };
        for (const x of activities) if (x.from.role === 'bot') received.push(x.text ?? '');
        if (received.some((t) => t.includes('Reisepass'))) resolve();
      });
    });
    await new Promise((resolve) => socket.once('open', resolve));
    await post(b, chat, 'Was kostet ein Reisepass?');
    await answered;
    socket.close();
    expect(received.join('\n')).toContain('**Reisepass**');
  });

  it('lets the console on A hear a citizen whose turn ran on B', async () => {
    const heard: string[] = [];
    const unsubscribe = a.cluster.events.subscribe((notice) => {
      if (notice.type === 'handoff-updated') heard.push(notice.handoff.conversationId);
    });
    const chat = await startChat(b);
    await post(b, chat, 'Mitarbeiter sprechen');
    // Redis delivers asynchronously: wait (bounded) until A has heard it.
    for (let i = 0; i < 200 && !heard.includes(chat.conversationId); i++) {
      await a.stores.ping();
    }
    unsubscribe();
    expect(heard).toContain(chat.conversationId);
  });

  it('erases on B everything of a citizen: database rows and Redis counters', async () => {
    const chat = await startChat(a);
    await post(a, chat, 'Was kostet ein Personalausweis?');
    // A counter of this user in Redis, as a messenger flood check leaves one.
    await a.cluster.floodLimiter(20).check(chat.userId);
    const redis = new Redis(REDIS_URL);
    const before = await redis.keys(`${prefix}*${chat.userId}*`);
    expect(before.length).toBeGreaterThan(0);

    await post(b, chat, 'Daten löschen');
    expect(await a.stores.transcripts.getConversation(chat.conversationId)).toBeUndefined();
    const state = await a.stores.sql.query<{ key: string }>(
      'SELECT key FROM bot_state WHERE key LIKE $1',
      [`%${chat.conversationId}%`],
    );
    expect(state).toEqual([]);
    expect(await redis.keys(`${prefix}*${chat.userId}*`)).toEqual([]);
    await redis.quit();
  });

  it('applies with every turn on the other instance, each posted as soon as the reply shows', async () => {
    // A busy database: saving the state at the end of a turn takes a while, after the reply
    // is already visible. Without the shared turn lock the next turn would read the old state.
    const slow = (instance: Instance) => {
      const write = instance.stores.state.write.bind(instance.stores.state);
      instance.stores.state.write = async (changes) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return write(changes);
      };
      return () => {
        instance.stores.state.write = write;
      };
    };
    const restore = [slow(a), slow(b)];
    const chat = await startChat(a);
    const steps: [string, unknown?][] = [
      ['Ich möchte einen Bewohnerparkausweis beantragen'],
      ['Erika Muster'],
      ['Hauptstraße 5, 80331 München'],
      ['M-AB 1234'],
      ['ja'],
      ['12'],
      ['Absenden', { flowAction: 'submit' }],
    ];
    const replies: string[] = [];
    for (const [index, [text, value]] of steps.entries()) {
      const on = index % 2 === 0 ? a : b;
      const url = `${on.origin}/v3/directline/conversations/${chat.conversationId}/activities`;
      const headers = { authorization: `Bearer ${chat.token}`, 'content-type': 'application/json' };
      const posted = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          type: 'message',
          from: { id: 'x' },
          text,
          ...(value ? { value } : {}),
        }),
      });
      const { id } = (await posted.json()) as { id: string };
      // Like a client: read until the reply is there, then write at once (to the other instance).
      let reply: string | undefined;
      for (let i = 0; i < 500 && reply === undefined; i++) {
        const page = (await (await fetch(url, { headers })).json()) as {
          activities: { replyToId?: string; text?: string }[];
        };
        // All replies to this message so far (the submission answers with several).
        const texts = page.activities.filter((x) => x.replyToId === id).map((x) => x.text ?? '');
        if (texts.length && (index < steps.length - 1 || texts.some((t) => t.includes('LT-'))))
          reply = texts.join('\n');
      }
      replies.push(reply ?? '(no reply)');
    }
    restore.forEach((undo) => undo());
    expect(replies[2]).toContain('Kennzeichen');
    expect(replies.at(-1)).toMatch(/\*\*LT-[0-9A-Z-]+\*\*/);
  });
});
