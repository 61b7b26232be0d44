/**
 * The `lotse` command line: the composition root for one-shot commands and for the server.
 * It reads the validated config, opens the knowledge layer lazily (only commands that need it pay
 * for loading the catalogue) and maps errors to clear messages and exit codes.
 */
import { ClusterError } from '../cluster/errors.js';
import { ConfigError, loadConfig } from '../config.js';
import { KnowledgeError } from '../../knowledge/errors.js';
import { openKnowledge, type KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { askCommand } from './ask.js';
import { evalCommand } from './eval.js';
import { importCommand } from './import.js';
import { EXIT, UsageError, processIo, type Io } from './io.js';
import { searchCommand } from './search.js';
import { synonymsCommand } from './synonyms.js';
import { modelsCommand } from './models.js';
import { outboxCommand } from './outbox.js';
import { openStores } from '../../storage/open-store.js';
import { serveCommand } from './serve.js';
import { readPipedStdin, staffCommand } from './staff.js';

export const USAGE = `Usage: lotse <command> [options]

Commands:
  serve                                   start the assistant (web chat, APIs) on PORT
  search "QUERY" [--json] [--limit N]     ranked services for a question
  ask "QUESTION" [--json] [--lang de|en]  answer a question from the catalogue, by facet, with the source
  eval FILE.jsonl [--json]                score search on a labelled query set
  import dldb --services FILE [--locations FILE] [--publisher NAME] [--licence ID]
                                          import a DLDB catalogue into LOTSE_DATA_DIR
  synonyms derive --thesaurus FILE [--out FILE]
                                          derive domain synonyms from an OpenThesaurus export
  outbox list [--json] [--status S] [--limit N]
                                          submissions waiting, delivered, rejected or dead
  outbox retry RECEIPT                    put a dead submission back in the queue
  staff add --user NAME --role agent|editor|admin [--name "Anna Beispiel"] --password-stdin
                                          create or update a staff console account (password piped in)
  staff list [--json]                     staff console accounts with role and status
  staff disable --user NAME               lock an account and end its sessions
  models pull NAME                        download a sentence-embedding model into LOTSE_MODELS_DIR
                                          (needs a network; set LOTSE_EMBEDDING_MODEL to use it)
  help                                    show this text

Settings come from environment variables; see README.md.`;

/** Runs one CLI invocation and returns its exit code (the server keeps running and returns 0). */
export async function runCli(
  argv: string[],
  io: Io = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [command, ...args] = argv;
  try {
    const config = loadConfig(env);
    let kb: Promise<KnowledgeBase> | undefined;
    const knowledge = () =>
      (kb ??= openKnowledge({
        dataDir: config.dataDir,
        ...(config.synonymFiles ? { synonymFiles: config.synonymFiles } : {}),
        ...(config.embeddingModel ? { embeddingModel: config.embeddingModel } : {}),
      }));
    switch (command) {
      case 'search':
        return await searchCommand(args, knowledge, io);
      case 'ask':
        return await askCommand(args, knowledge, io);
      case 'eval':
        return await evalCommand(args, knowledge, io);
      case 'import':
        return importCommand(args, config.dataDir, io);
      case 'synonyms':
        return await synonymsCommand(args, knowledge, io);
      case 'outbox': {
        const stores = await openStores({
          dataDir: config.dataDir,
          ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
        });
        try {
          return await outboxCommand(args, stores, io);
        } finally {
          await stores.close();
        }
      }
      case 'staff': {
        const stores = await openStores({
          dataDir: config.dataDir,
          ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
        });
        try {
          return await staffCommand(args, { stores, readPassword: () => readPipedStdin() }, io);
        } finally {
          await stores.close();
        }
      }
      case 'models':
        return await modelsCommand(args, config.modelsDir, io);
      case 'serve':
        return await serveCommand(config, knowledge);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (e) {
    if (
      e instanceof UsageError ||
      ['ERR_PARSE_ARGS_UNKNOWN_OPTION', 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'].includes(
        (e as { code?: string }).code ?? '',
      )
    ) {
      io.err(`lotse: ${(e as Error).message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    if (e instanceof ConfigError || e instanceof KnowledgeError || e instanceof ClusterError) {
      io.err(`lotse: ${e.message}`);
      return EXIT.failure;
    }
    throw e;
  }
}
