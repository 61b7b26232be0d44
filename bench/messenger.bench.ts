/**
 * Messenger turns against Direct Line turns, in one process on one Lotse server: 50 concurrent
 * users ask the same catalogue questions once as WhatsApp users (signed webhooks in, replies out
 * to a local Graph API peer that checks every request) and once as web chat users (Direct Line
 * REST). The ratio says what the messenger path — signature check, dedup, rendering, the outgoing
 * Graph call — costs against the web chat path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { loadConfig } from '../channels/config.js';
import { buildServer } from '../channels/server.js';
import { openKnowledge } from '../knowledge/knowledge-base.js';
import { openStores } from '../storage/open-store.js';
import { startGraphPeer } from '../tests/channels/whatsapp/graph-peer.js';
import { signedRequest, waText, waWebhook } from '../tests/channels/whatsapp/webhook-payloads.js';
import { fmt, memoryMiB, percentile, table } from './measure.js';
import { directLineTurn, drive, startSession, type Run } from './traffic.js';

const USERS = 50;
const TURNS = 8;
const WHATSAPP = {
  token: 'bench-whatsapp-token',
  phoneId: '106540352242922',
  appSecret: 'bench-app-secret-0123456789',
  verifyToken: 'bench-verify-token-0123',
};

export async function runMessengerBench(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lotse-bench-messenger-'));
  const graph = await startGraphPeer({ token: WHATSAPP.token, phoneId: WHATSAPP.phoneId });
  const stores = await openStores({ dataDir });
  const { app } = await buildServer({
    config: loadConfig({
      LOTSE_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      LOTSE_TOKEN_RATE_LIMIT: '10000',
      LOTSE_CHANNEL_RATE_LIMIT: '1000',
      LOTSE_WHATSAPP_TOKEN: WHATSAPP.token,
      LOTSE_WHATSAPP_APP_SECRET: WHATSAPP.appSecret,
      LOTSE_WHATSAPP_VERIFY_TOKEN: WHATSAPP.verifyToken,
      LOTSE_WHATSAPP_PHONE_ID: WHATSAPP.phoneId,
      LOTSE_WHATSAPP_API_BASE: graph.apiBase,
    }),
    knowledge: await openKnowledge({ dataDir }),
    stores,
    directLineSecret: 'bench-secret-'.padEnd(40, 'x'),
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    let sequence = 0;
    const whatsapp = await drive(USERS, TURNS, async (u, text) => {
      const to = `49151${String(u).padStart(8, '0')}`;
      const before = graph.messages.filter((m) => m.to === to).length;
      sequence += 1;
      const body = waWebhook({
        phoneId: WHATSAPP.phoneId,
        messages: [waText({ from: to, id: `wamid.bench-${sequence}` }, text)],
      });
      const { payload, headers } = signedRequest(body, WHATSAPP.appSecret);
      const res = await fetch(`${base}/channels/whatsapp`, {
        method: 'POST',
        headers,
        body: payload,
      });
      if (res.status !== 200) throw new Error(`webhook ${res.status}`);
      for (let attempt = 0; attempt < 2000; attempt++) {
        if (graph.messages.filter((m) => m.to === to).length > before) return;
        await delay(2);
      }
      throw new Error('no reply');
    });

    const sessions = await Promise.all(Array.from({ length: USERS }, () => startSession(base)));
    const directLine = await drive(USERS, TURNS, (u, text) =>
      directLineTurn(base, sessions[u]!, text),
    );

    const rejected = graph.requests.filter((r) => r.status >= 400).length;
    const row = (name: string, r: Run) => [
      name,
      fmt(r.latencies.length / r.seconds, 1),
      fmt(percentile(r.latencies, 50), 1),
      fmt(percentile(r.latencies, 99), 1),
      String(r.errors),
    ];
    const tps = (r: Run) => r.latencies.length / r.seconds;
    return [
      `${USERS} concurrent users × ${TURNS} questions, the same Lotse server (SQLite), each turn until the reply arrived`,
      table(
        ['path', 'turns/s', 'p50 ms', 'p99 ms', 'errors'],
        [row('Direct Line REST (baseline)', directLine), row('WhatsApp webhook → Graph', whatsapp)],
      ),
      `ratio WhatsApp/Direct Line: throughput ${fmt(tps(whatsapp) / tps(directLine))}×, p50 ${fmt(percentile(whatsapp.latencies, 50) / percentile(directLine.latencies, 50))}×, p99 ${fmt(percentile(whatsapp.latencies, 99) / percentile(directLine.latencies, 99))}×`,
      `Graph requests refused by the peer: ${rejected}; RSS after both runs: ${fmt(memoryMiB().rss, 0)} MiB`,
    ].join('\n');
  } finally {
    await app.close();
    await stores.close();
    await graph.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
