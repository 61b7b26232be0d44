/**
 * `npm run bench`: every benchmark of Lotse, each measured side by side with its baseline in the
 * same process. Run with --expose-gc so memory figures are taken after a full collection.
 * Pass section names (`npm run bench -- search`) to run only some.
 */
import { runChatBench } from './chat.bench.js';
import { runDenseBench } from './dense.bench.js';
import { runMessengerBench } from './messenger.bench.js';
import { runOutboxBench } from './outbox.bench.js';
import { runSearchBench } from './search.bench.js';

const sections: Record<string, () => string | Promise<string>> = {
  search: runSearchBench,
  dense: runDenseBench,
  chat: runChatBench,
  outbox: runOutboxBench,
  messenger: runMessengerBench,
};

const wanted = process.argv.slice(2).filter((a) => a in sections);
for (const name of wanted.length ? wanted : Object.keys(sections)) {
  console.log(`\n=== ${name} ===`);
  console.log(await sections[name]!());
}
