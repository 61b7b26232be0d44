/** `lotse serve`: loads the knowledge layer, then starts the HTTP server on HOST:PORT. */
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { Config } from '../config.js';
import { buildServer } from '../server.js';
import { EXIT } from './io.js';

export async function serveCommand(
  config: Config,
  knowledge: () => Promise<KnowledgeBase>,
): Promise<number> {
  const kb = await knowledge();
  const app = buildServer(config, () => kb);
  const close = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    { services: kb.search.indexedCount, fromSnapshot: kb.fromSnapshot, dense: kb.dense },
    'Lotse is ready',
  );
  return EXIT.ok;
}
