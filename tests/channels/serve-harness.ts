/**
 * Real `lotse serve` processes for crash tests: spawning (killed when the file ends), waiting for
 * readiness, applying for a Bewohnerparkausweis over Direct Line REST the way Web Chat does (the
 * turns may alternate between instances), and a signed-webhook receiver that can hold deliveries
 * open so a test can kill a server while they are in flight.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { verifyWebhookSignature } from '../../flows/connectors/webhook-signature.js';

const children: ChildProcess[] = [];

/** Kills every server this file started (call in afterAll). */
export function killAll(): void {
  children.forEach((c) => c.kill('SIGKILL'));
}

export async function freePort(): Promise<number> {
  const s = createNetServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as { port: number };
  s.close();
  return port;
}

/** Starts `lotse serve` with `env` added to this process's environment. */
export function serve(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['bin/lotse.js', 'serve'], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  children.push(child);
  return child;
}

/** Resolves once `/readyz` answers 200. */
export async function ready(base: string): Promise<void> {
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

/**
 * A complete Bewohnerparkausweis application in `name`'s name; turn `i` goes to
 * `bases[i % bases.length]`, so with two bases the conversation alternates instances. Returns
 * the receipt.
 */
export async function apply(bases: string[], name: string): Promise<string> {
  const first = bases[0]!;
  const tokenResponse = await fetch(`${first}/api/webchat/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const { token, conversationId } = (await tokenResponse.json()) as {
    token: string;
    conversationId: string;
  };
  const path = `/v3/directline/conversations/${conversationId}/activities`;
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
  for (const [index, [text, value]] of steps.entries()) {
    const base = bases[index % bases.length]!;
    const { id } = (await (
      await fetch(`${base}${path}`, {
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
      const read = (await (
        await fetch(`${base}${path}?watermark=${watermark}`, { headers })
      ).json()) as {
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

/** What the office's webhook received. */
export interface Arrival {
  key: string;
  verified: boolean;
  receipt: string;
}

/**
 * A signed-webhook receiver: verifies each delivery, records it, and holds the first `hold`
 * deliveries open (`release()` lets later ones through; held ones are destroyed).
 */
export async function webhookReceiver(secret: string, hold: number) {
  const arrivals: Arrival[] = [];
  const held: ServerResponse[] = [];
  let holding = true;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const verified = verifyWebhookSignature(secret, body, req.headers, new Date()).ok;
      arrivals.push({
        key: String(req.headers['idempotency-key']),
        verified,
        receipt: JSON.parse(body).receipt,
      });
      if (holding && held.length < hold) held.push(res);
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"reference":"ok"}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/in`,
    arrivals,
    held,
    release() {
      held.forEach((r) => r.destroy());
      holding = false;
    },
    close: () => server.close(),
  };
}

/** Waits (bounded) until `done()`. */
export async function until(done: () => boolean, attempts = 300): Promise<void> {
  for (let i = 0; i < attempts && !done(); i++) await new Promise((r) => setTimeout(r, 50));
}
