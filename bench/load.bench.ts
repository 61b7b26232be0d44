/**
 * `npm run bench:load`: does a second instance help? 200 concurrent Direct Line conversations
 * (catalogue questions, and in every second one a Bewohnerparkausweis application) against one `lotse serve` process,
 * then against two sharing one PostgreSQL schema and Redis, each conversation alternating between
 * the two turn by turn — and, for comparison, two with every conversation staying on one
 * (sticky sessions). Every instance is a real child process with a CPU profile; each run gets a
 * fresh schema, dropped at the end. Reports throughput, latency, errors (must be 0), RSS per
 * instance and where the CPU time went. Exits 1 when any turn failed.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import {
  type Instance,
  REPO_ROOT,
  cpuSeconds,
  createSchema,
  machineTicks,
  rssMiB,
  runCleanups,
  startInstance,
} from './load/instances.js';
import { summariseProfile } from './load/profile.js';
import { type RunReport, errorCount, formatRun, ratio } from './load/report.js';
import { TURNS_PER_CONVERSATION, drive } from './load/traffic.js';

const CONVERSATIONS = 200;

async function measure(title: string, count: number, alternate: boolean): Promise<RunReport> {
  const schema = await createSchema();
  const shared = {
    databaseUrl: schema.url,
    directLineSecret: `bench-${randomBytes(24).toString('hex')}`,
  };
  const instances: Instance[] = [];
  try {
    // One after the other: the first applies the migrations to the fresh schema.
    for (let i = 0; i < count; i++) {
      instances.push(await startInstance(String.fromCharCode(65 + i), shared));
    }
    let cpuBefore: number[] = [];
    let machineBefore = machineTicks();
    let driverBefore = process.cpuUsage();
    const traffic = await drive(
      instances.map((x) => x.base),
      CONVERSATIONS,
      alternate,
      () => {
        cpuBefore = instances.map((x) => cpuSeconds(x.pid));
        machineBefore = machineTicks();
        driverBefore = process.cpuUsage();
      },
    );
    const driver = process.cpuUsage(driverBefore);
    const machineAfter = machineTicks();
    const measured = instances.map((x, i) => ({
      name: x.name,
      rssMiB: rssMiB(x.pid),
      cpuSeconds: cpuSeconds(x.pid) - cpuBefore[i]!,
    }));
    // SIGINT: serve shuts down gracefully and node writes the CPU profile on exit.
    for (const x of instances) await x.stop();
    const perInstance = measured.map((m, i) => {
      const path = instances[i]!.profilePath();
      return {
        ...m,
        profile: path ? summariseProfile(path, REPO_ROOT, traffic.windowUs) : undefined,
      };
    });
    return {
      title,
      traffic,
      perInstance,
      driverCpuSeconds: (driver.user + driver.system) / 1e6,
      machine: {
        busySeconds: (machineAfter.busy - machineBefore.busy) / 100,
        totalSeconds: (machineAfter.total - machineBefore.total) / 100,
        cores: availableParallelism(),
      },
    };
  } finally {
    for (const x of instances) await x.stop();
    await schema.drop();
  }
}

async function main(): Promise<number> {
  console.log(
    `${CONVERSATIONS} concurrent Direct Line conversations × ${TURNS_PER_CONVERSATION} turns ` +
      '(catalogue questions; every second conversation also applies for a Bewohnerparkausweis, ' +
      'checked step by step), ' +
      'REST: post, then poll every 2 ms until the reply. Each instance is `node --cpu-prof ' +
      'bin/lotse.js serve` on PostgreSQL (fresh schema per run) with REDIS_URL set.',
  );
  console.log(
    "Profile shares are of the sampled time during the turns: repo = this repository's code, " +
      'deps = node_modules, node = Node internals, native = V8/C++ builtins (writev = socket ' +
      'writes); TypeScript lines are found by function name.\n',
  );
  const one = await measure('1 instance', 1, false);
  console.log(formatRun(one) + '\n');
  const two = await measure('2 instances, every conversation alternating A/B', 2, true);
  console.log(formatRun(two) + '\n');
  const sticky = await measure('2 instances, sticky (each conversation on one)', 2, false);
  console.log(formatRun(sticky) + '\n');
  console.log(`ratio 2 alternating / 1 instance: ${ratio(two, one)}`);
  console.log(`ratio 2 sticky / 1 instance:      ${ratio(sticky, one)}`);
  const errors = errorCount(one) + errorCount(two) + errorCount(sticky);
  if (errors > 0) console.log(`\n!!!!!!!! ${errors} ERRORS IN TOTAL — must be 0 !!!!!!!!`);
  return errors > 0 ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(error);
} finally {
  await runCleanups();
}
process.exit(code);
