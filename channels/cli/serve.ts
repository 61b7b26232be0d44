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
import { localCluster, redisCluster } from '../cluster/cluster.js';
import { RetentionJob } from '../../storage/retention-job.js';

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
  // In the database, so that every instance accepts the tokens another one issued.
  const directLineSecret = await loadOrCreateSecret(
    config.dataDir,
    config.directLine.secret,
    stores.sql,
  );
  // Redis reports to the server's log, which exists once the server is built.
  const logTo: { log?: { warn(o: object, m: string): void } } = {};
  const cluster = await (
    config.redisUrl
      ? redisCluster(
          config.redisUrl,
          { warn: (o, m) => logTo.log?.warn(o, m) },
          { keyPrefix: config.redisPrefix },
        )
      : Promise.resolve(localCluster())
  ).catch(async (error: unknown) => {
    await stores.close();
    throw error;
  });
  const { app, dispatcher, sweeper, messengers, directLineAdapter } = await buildServer({
    config,
    knowledge: kb,
    stores,
    directLineSecret,
    cluster,
  });
  logTo.log = app.log;
  const retention = new RetentionJob({
    retention: stores.retention,
    policy: config.retention,
    log: app.log,
  });
  let closing: Promise<void> | undefined;
  const close = (signal: string) =>
    (closing ??= (async () => {
      app.log.info({ signal }, 'shutting down');
      await dispatcher.stop();
      await sweeper.stop();
      await messengers.stop();
      // Stop accepting; WebSockets close with 1001 so clients reconnect (to another instance).
      await app.close();
      // Finish the turns already accepted, then let go of Redis and the database.
      await directLineAdapter.whenIdle();
      await messengers.whenIdle();
      await cluster.close();
      await retention.stop();
      await stores.close();
      app.log.info({ signal }, 'stopped');
    })());
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  dispatcher.start(config.flows.dispatchIntervalMs);
  sweeper.start(HANDOFF_SWEEP_MS);
  await messengers.start();
  retention.start();
  app.log.info(
    {
      services: kb.search.indexedCount,
      fromSnapshot: kb.fromSnapshot,
      dense: kb.dense,
      store: config.databaseUrl ? 'postgres' : 'sqlite',
      cluster: config.redisUrl ? 'redis' : 'single instance',
    },
    'Lotse is ready',
  );
  return EXIT.ok;
}
