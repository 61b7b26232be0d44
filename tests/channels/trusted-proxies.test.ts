/**
 * Client addresses behind a proxy: only a listed proxy may name the client in X-Forwarded-For,
 * so a client cannot dodge the per-address login limit by inventing addresses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../channels/config.js';
import { buildServer, type LotseServer } from '../../channels/server.js';
import { openKnowledge } from '../../knowledge/knowledge-base.js';
import { openStores, type Stores } from '../../storage/open-store.js';

let server: LotseServer;
let stores: Stores;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lotse-proxies-'));
  stores = await openStores({ dataDir });
  server = await buildServer({
    config: loadConfig({
      LOTSE_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      LOTSE_PUBLIC_URL: 'https://chat.example',
      LOTSE_TRUSTED_PROXIES: '10.0.0.1',
      LOTSE_STAFF_LOGIN_ATTEMPTS: '2',
    }),
    knowledge: await openKnowledge({ dataDir }),
    stores,
    directLineSecret: 'test-secret-that-is-long-enough-123456',
  });
  await server.app.ready();
});
afterAll(async () => {
  await server.app.close();
  await stores.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A wrong login for a new user name each time, so only the per-address limit can apply. */
async function wrongLogin(remoteAddress: string, forwardedFor: string, n: number) {
  const res = await server.app.inject({
    method: 'POST',
    url: '/staff/login',
    remoteAddress,
    headers: { 'x-forwarded-for': forwardedFor },
    payload: { username: `user${n}-${remoteAddress}`, password: 'falsch-falsch-falsch' },
  });
  return res.statusCode;
}

describe('trusted proxies', () => {
  it('ignores X-Forwarded-For from a client that is not a listed proxy', async () => {
    const codes = [];
    for (let n = 0; n < 3; n++) codes.push(await wrongLogin('203.0.113.5', `198.51.100.${n}`, n));
    expect(codes).toEqual([401, 401, 429]);
  });

  it('believes the listed proxy about different clients', async () => {
    const codes = [];
    for (let n = 0; n < 3; n++) codes.push(await wrongLogin('10.0.0.1', `198.51.100.${n}`, n));
    expect(codes).toEqual([401, 401, 401]);
  });
});
