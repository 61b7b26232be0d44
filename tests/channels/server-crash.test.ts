/**
 * A citizen's submitted application is never lost, even if the server is killed mid-delivery:
 * the real `lotse serve` process takes applications over Direct Line and delivers them to a
 * signed-webhook receiver this test runs; the receiver holds the first deliveries open, the test
 * SIGKILLs the server while they are in flight, restarts it on the same data directory, and every
 * confirmed submission arrives — each exactly once after de-duplication by idempotency key.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../flows/connectors/webhook-signature.js';
import { tempDir } from '../knowledge/fixtures.js';

const SECRET = 'crash-webhook-secret-0123456789';
const APPLICATIONS = 4;
const HELD = 1;
const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

async function freePort(): Promise<number> {
  const s = createNetServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as { port: number };
  s.close();
  return port;
}

function serve(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['bin/lotse.js', 'serve'], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  children.push(child);
  return child;
}

async function ready(base: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not become ready');
}

async function apply(base: string, name: string): Promise<string> {
  const tokenResponse = await fetch(`${base}/api/webchat/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const { token, conversationId } = (await tokenResponse.json()) as {
    token: string;
    conversationId: string;
  };
  const url = `${base}/v3/directline/conversations/${conversationId}/activities`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const steps: [string, unknown?][] = [
    ['Ich möchte einen Bewohnerparkausweis beantragen'],
    [name],
    ['Hauptstraße 5, 80331 München'],
    ['M-AB 1234'],
    ['ja'],
    ['12'],
    ['Absenden', { flowAction: 'submit' }],
  ];
  let watermark = '0';
  let receipt: string | undefined;
  for (const [text, value] of steps) {
    const { id } = (await (
      await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          type: 'message',
          from: { id: 'x' },
          text,
          ...(value ? { value } : {}),
        }),
      })
    ).json()) as { id: string };
    // Read until the bot answered this message.
    for (let i = 0; i < 200; i++) {
      const read = (await (await fetch(`${url}?watermark=${watermark}`, { headers })).json()) as {
        watermark: string;
        activities: { replyToId?: string; text?: string }[];
      };
      watermark = read.watermark;
      const replies = read.activities.filter((a) => a.replyToId === id);
      receipt ??= replies
        .map((a) => /\*\*(LT-[0-9A-Z-]+)\*\*/.exec(a.text ?? '')?.[1])
        .find(Boolean);
      if (replies.length) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  if (!receipt) throw new Error('no receipt');
  return receipt;
}

describe('killing the server mid-delivery', () => {
  it('loses no confirmed submission and delivers each exactly once after de-duplication', async () => {
    const arrivals: { key: string; verified: boolean; receipt: string }[] = [];
    const held: ServerResponse[] = [];
    let holding = true;
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const verified = verifyWebhookSignature(SECRET, body, req.headers, new Date()).ok;
        arrivals.push({
          key: String(req.headers['idempotency-key']),
          verified,
          receipt: JSON.parse(body).receipt,
        });
        if (holding && held.length < HELD) held.push(res);
        else res.writeHead(200, { 'content-type': 'application/json' }).end('{"reference":"ok"}');
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const dataDir = tempDir();
    const backends = join(dataDir, 'backends.json');
    writeFileSync(
      backends,
      JSON.stringify({
        bewohnerparkausweis: {
          type: 'webhook',
          url: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/in`,
          secret: SECRET,
        },
      }),
    );
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      LOTSE_DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'silent',
      LOTSE_BACKENDS_FILE: backends,
      LOTSE_DISPATCH_INTERVAL_MS: '100',
      LOTSE_DISPATCH_LEASE_MS: '1000',
      LOTSE_DIRECTLINE_SECRET: 'crash-directline-secret-0123456789-abcdef',
    };

    const first = serve(env);
    await ready(base);
    const receipts: string[] = [];
    for (let i = 0; i < APPLICATIONS; i++) receipts.push(await apply(base, `Erika Muster ${i}`));
    // Wait until deliveries are in flight (held open by the receiver), then kill the server.
    for (let i = 0; i < 300 && held.length < HELD; i++) await new Promise((r) => setTimeout(r, 50));
    expect(held.length).toBe(HELD);
    first.kill('SIGKILL');
    await once(first, 'exit');
    held.forEach((r) => r.destroy());
    holding = false;

    const second = serve(env);
    await ready(base);
    for (let i = 0; i < 300 && new Set(arrivals.map((a) => a.key)).size < APPLICATIONS; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    second.kill('SIGTERM');
    receiver.close();

    expect(arrivals.every((a) => a.verified)).toBe(true);
    const unique = new Map(arrivals.map((a) => [a.key, a.receipt]));
    expect([...unique.values()].sort()).toEqual([...receipts].sort());
    // The delivery in flight at the kill arrived again after the restart; no other arrived twice.
    expect(arrivals.length).toBe(APPLICATIONS + HELD);
  }, 90_000);
});
