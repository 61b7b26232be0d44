/**
 * `lotse serve`: opens the knowledge layer and the stores (running migrations), then starts the
 * HTTP server on HOST:PORT. SIGINT/SIGTERM stop accepting, let running requests finish and close
 * the stores.
 */
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { openStores } from '../../storage/open-store.js';
import type { Config } from '../config.js';
import { loadOrCreateSecret } from '../directline/secret.js';
import { buildServer } from '../server.js';
import { EXIT } from './io.js';

/** How often stale handoff requests are expired (their limits are in minutes). */
const HANDOFF_SWEEP_MS = 30_000;

export async function serveCommand(
  config: Config,
  knowledge: () => Promise<KnowledgeBase>,
): Promise<number> {
  const kb = await knowledge();
  const stores = await openStores({
    dataDir: config.dataDir,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
  });
  const directLineSecret = await loadOrCreateSecret(config.dataDir, config.directLine.secret);
  const { app, dispatcher, sweeper, messengers } = await buildServer({
    config,
    knowledge: kb,
    stores,
    directLineSecret,
  });
  const close = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await dispatcher.stop();
    await sweeper.stop();
    await messengers.stop();
    // Stop accepting first, then let webhooks already accepted finish their turns.
    await app.close();
    await messengers.whenIdle();
    await stores.close();
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ port: config.port, host: config.host });
  dispatcher.start(config.flows.dispatchIntervalMs);
  sweeper.start(HANDOFF_SWEEP_MS);
  await messengers.start();
  app.log.info(
    {
      services: kb.search.indexedCount,
      fromSnapshot: kb.fromSnapshot,
      dense: kb.dense,
      store: config.databaseUrl ? 'postgres' : 'sqlite',
    },
    'Lotse is ready',
  );
  return EXIT.ok;
}
