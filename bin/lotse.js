#!/usr/bin/env node
// Entry point of the `lotse` command. Lotse is written in TypeScript and runs through tsx's loader,
// so there is no build step between a checkout and a running assistant.
import { register } from 'tsx/esm/api';

register();
// A closed pipe (`lotse search … | head`) ends the command quietly instead of with a stack trace.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { runCli } = await import('../channels/cli/main.ts');
const code = await runCli(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
