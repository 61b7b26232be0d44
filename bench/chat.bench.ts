/**
 * Chat turns over Direct Line REST: 50 concurrent conversations asking catalogue questions against
 * a full Lotse server (SQLite store, bundled catalogue), and the same traffic pattern against a
 * bare fastify echo endpoint, both in this process, one after the other. A turn is posting the
 * question and reading until the bot's reply is there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { loadConfig } from '../channels/config.js';
import { buildServer } from '../channels/server.js';
import { openKnowledge } from '../knowledge/knowledge-base.js';
import { openStores } from '../storage/open-store.js';
import { fmt, memoryMiB, percentile, table } from './measure.js';
import { directLineTurn, drive, startSession, type Run } from './traffic.js';

const CONVERSATIONS = 50;
const TURNS = 8;
async function echoRun(): Promise<Run> {
  const app = Fastify({ logger: false });
  const replies = new Map<string, string>();
  let next = 0;
  app.post('/echo', async (req) => {
    const id = String(++next);
    replies.set(id, `echo: ${(req.body as { text: string }).text}`);
    return { id };
  });
  app.get('/echo/:id', async (req) => ({ text: replies.get((req.params as { id: string }).id) }));
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    return await drive(CONVERSATIONS, TURNS, async (_c, text) => {
      const post = await fetch(`${base}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      });
      const { id } = (await post.json()) as { id: string };
      const got = await fetch(`${base}/echo/${id}`);
      if (!((await got.json()) as { text?: string }).text) throw new Error('no echo');
    });
  } finally {
    await app.close();
  }
}

async function lotseRun(): Promise<{ run: Run; rssMiB: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lotse-bench-chat-'));
  const config = loadConfig({
    LOTSE_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    LOTSE_TOKEN_RATE_LIMIT: '10000',
  });
  const knowledge = await openKnowledge({ dataDir });
  const stores = await openStores({ dataDir });
  const { app } = await buildServer({
    config,
    knowledge,
    stores,
    directLineSecret: 'bench-secret-'.padEnd(40, 'x'),
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const sessions = await Promise.all(
      Array.from({ length: CONVERSATIONS }, () => startSession(base)),
    );
    const run = await drive(CONVERSATIONS, TURNS, (c, text) =>
      directLineTurn(base, sessions[c]!, text),
    );
    return { run, rssMiB: memoryMiB().rss };
  } finally {
    await app.close();
    await stores.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runChatBench(): Promise<string> {
  const echo = await echoRun();
  const { run: lotse, rssMiB } = await lotseRun();
  const row = (name: string, r: Run) => [
    name,
    fmt(r.latencies.length / r.seconds, 1),
    fmt(percentile(r.latencies, 50), 1),
    fmt(percentile(r.latencies, 99), 1),
    String(r.errors),
  ];
  const tps = (r: Run) => r.latencies.length / r.seconds;
  return [
    `${CONVERSATIONS} concurrent conversations × ${TURNS} turns over Direct Line REST (post, then poll until the reply)`,
    table(
      ['server', 'turns/s', 'p50 ms', 'p99 ms', 'errors'],
      [row('bare fastify echo (baseline)', echo), row('Lotse (SQLite)', lotse)],
    ),
    `ratio Lotse/baseline: throughput ${fmt(tps(lotse) / tps(echo))}×, p50 ${fmt(percentile(lotse.latencies, 50) / percentile(echo.latencies, 50))}×, p99 ${fmt(percentile(lotse.latencies, 99) / percentile(echo.latencies, 99))}×`,
    `RSS of the process after the Lotse run: ${fmt(rssMiB, 0)} MiB`,
  ].join('\n');
}
