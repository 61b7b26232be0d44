/**
 * Graceful shutdown of `lotse serve`: on SIGTERM it stops accepting, finishes the turn in flight
 * (its reply is stored), closes Direct Line WebSockets with 1001 "going away" — the hint for
 * clients to reconnect, to another instance — and exits cleanly.
 */
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { openStores } from '../../../storage/open-store.js';
import { tempDir } from '../../knowledge/fixtures.js';
import { freePort, killAll, ready, serve } from '../serve-harness.js';

afterAll(killAll);

describe('lotse serve on SIGTERM', () => {
  it('finishes the turn in flight, closes streams with 1001 and exits 0', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = serve({
      LOTSE_DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'silent',
      LOTSE_DIRECTLINE_SECRET: 'shutdown-directline-secret-0123456789-abcdef',
    });
    await ready(base);
    const { token, conversationId } = (await (
      await fetch(`${base}/api/webchat/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as { token: string; conversationId: string };
    const opened = (await (
      await fetch(`${base}/v3/directline/conversations/${conversationId}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { streamUrl: string };
    const socket = new WebSocket(opened.streamUrl);
    await once(socket, 'open');
    const closed = once(socket, 'close') as Promise<[number, Buffer]>;

    const posted = await fetch(`${base}/v3/directline/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        from: { id: 'x' },
        text: 'Was kostet ein Reisepass?',
      }),
    });
    expect(posted.status).toBe(200);
    // The turn runs after the answer; stop the server while it may still be running.
    child.kill('SIGTERM');
    const [code] = await closed;
    const [exitCode] = (await once(child, 'exit')) as [number | null];

    expect(code).toBe(1001);
    expect(exitCode).toBe(0);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    const stores = await openStores({ dataDir });
    const { activities } = await stores.transcripts.list(conversationId, 0);
    await stores.close();
    expect(activities.some((a) => a.from?.role === 'bot' && a.text?.includes('Reisepass'))).toBe(
      true,
    );
  }, 60_000);
});
