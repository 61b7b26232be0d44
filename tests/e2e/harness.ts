/**
 * What the browser tests share: Debian's Chromium driven by playwright-core (never a browser that
 * playwright downloads), and real Lotse servers on 127.0.0.1 with temporary data directories.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { loadConfig } from '../../channels/config.js';
import { buildServer, type LotseServer } from '../../channels/server.js';
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { openStores, type Stores } from '../../storage/open-store.js';

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Headless, and without the background connections that this machine's closed network refuses.
 * `chromium.launch` gives every browser a fresh, temporary user-data-dir of its own.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts Debian's Chromium, or fails with the command that installs it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: run apt-get install -y chromium`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** A running Lotse server with its own SQLite stores in a temporary data directory. */
export interface RunningLotse {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  server: LotseServer;
  stores: Stores;
  close(): Promise<void>;
}

/**
 * Starts the composed server (page, token endpoint, Direct Line) on a free port of 127.0.0.1.
 * `settings` are environment variables as `loadConfig` reads them, e.g. a short token lifetime.
 */
export async function startLotse(
  knowledge: KnowledgeBase,
  settings: Record<string, string> = {},
): Promise<RunningLotse> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lotse-e2e-'));
  const config = loadConfig({ LOTSE_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...settings });
  const stores = await openStores({ dataDir });
  const server = await buildServer({
    config,
    knowledge,
    stores,
    directLineSecret: 'e2e-secret-that-is-long-enough-0123456789',
  });
  const origin = await server.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    origin,
    server,
    stores,
    close: async () => {
      await server.app.close();
      await stores.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
