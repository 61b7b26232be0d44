/**
 * The composed server: probes, the search API, and privacy of the logs across a whole web chat
 * turn (no question text, no token, no answer text in any log line).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../channels/config.js';
import { buildServer, type LotseServer } from '../../channels/server.js';
import { openKnowledge } from '../../knowledge/knowledge-base.js';
import { openStores, type Stores } from '../../storage/open-store.js';

const logs: string[] = [];
let server: LotseServer;
let stores: Stores;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lotse-server-'));
  const config = loadConfig({ LOTSE_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  stores = await openStores({ dataDir });
  server = await buildServer({
    config,
    knowledge: await openKnowledge({ dataDir }),
    stores,
    directLineSecret: 'test-secret-that-is-long-enough-123456',
    logStream: { write: (line) => void logs.push(line) },
  });
  await server.app.ready();
});
afterAll(async () => {
  await server.app.close();
  await stores.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('probes', () => {
  it('answers /healthz and /readyz with the catalogue loaded and the store reachable', async () => {
    expect((await server.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await server.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', services: 241 });
  });
});

describe('search API', () => {
  it('returns ranked services with their source', async () => {
    const res = await server.app.inject('/api/search?q=Reisepass%20beantragen&limit=2');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.results).toHaveLength(2);
    expect(body.results[0]).toMatchObject({ id: '1063453', name: 'Reisepass' });
    expect(body.results[0].source).toContain('1063453');
  });

  it('rejects a missing or oversized query with a coded 400', async () => {
    for (const url of [
      '/api/search',
      `/api/search?q=${'x'.repeat(501)}`,
      '/api/search?q=a&limit=99',
    ]) {
      const res = await server.app.inject(url);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('LOTSE_BAD_QUERY');
    }
  });
});

describe('logs', () => {
  it('carry no question, answer or token text through a whole web chat turn', async () => {
    const tokenRes = await server.app.inject({
      method: 'POST',
      url: '/api/webchat/token',
      payload: {},
    });
    const { token, conversationId } = tokenRes.json();
    const headers = { authorization: `Bearer ${token}` };
    const question = 'Was kostet ein Führungszeugnis für Zwergpinscher?';
    const post = await server.app.inject({
      method: 'POST',
      url: `/v3/directline/conversations/${conversationId}/activities`,
      headers,
      payload: { type: 'message', from: { id: 'x' }, text: question },
    });
    expect(post.statusCode).toBe(200);
    await server.directLineAdapter.whenIdle();
    await server.app.inject(`/api/search?q=${encodeURIComponent('Zwergpinscher Hundesteuer')}`);
    const all = logs.join('\n');
    expect(all).toContain('/v3/directline/conversations/:id/activities');
    expect(all).not.toContain('Zwergpinscher');
    expect(all).not.toContain('Führungszeugnis');
    expect(all).not.toContain(token);
  });
});
