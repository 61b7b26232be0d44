/**
 * The processes and the database a load run needs: a fresh PostgreSQL schema per run, and real
 * `lotse serve` children (each on its own port, data directory and CPU profile directory). Every
 * child and schema is registered with a cleanup list, so an error, Ctrl-C or a crash of the
 * benchmark never leaves a server running or a schema behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';

/** The repository root (profiles name files relative to it). */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** The machine's PostgreSQL (trust auth), as the tests use it; override with LOTSE_BENCH_DATABASE_URL. */
const POSTGRES_URL =
  process.env.LOTSE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.LOTSE_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Cleanups run newest first, once, whether the run ended normally, by an error or a signal. */
const cleanups: (() => Promise<void>)[] = [];
/** Children still alive, killed synchronously if the benchmark process exits anyway. */
const live = new Set<ChildProcess>();

process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the instances and dropping the schema…`);
    void runCleanups().finally(() => process.exit(130));
  });
}

/** Runs every registered cleanup (newest first); errors are printed, never thrown. */
export async function runCleanups(): Promise<void> {
  while (cleanups.length) {
    const cleanup = cleanups.pop()!;
    try {
      await cleanup();
    } catch (error) {
      console.error(`cleanup failed: ${(error as Error).message}`);
    }
  }
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A fresh schema `lotse_bench_<random>`; `url` reaches it through `search_path`. */
export interface BenchSchema {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates the schema and registers its DROP … CASCADE as a cleanup. */
export async function createSchema(): Promise<BenchSchema> {
  const name = `lotse_bench_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE SCHEMA ${name}`);
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${name}`);
  let dropped: Promise<void> | undefined;
  const drop = () => (dropped ??= admin(`DROP SCHEMA IF EXISTS ${name} CASCADE`));
  cleanups.push(drop);
  return { name, url: url.toString(), drop };
}

/** A running `lotse serve` child. */
export interface Instance {
  name: string;
  base: string;
  pid: number;
  /** Stops it with SIGINT (graceful; writes the CPU profile), SIGKILL after a bound. */
  stop(): Promise<void>;
  /** The `.cpuprofile` written on exit (read after `stop`). */
  profilePath(): string | undefined;
}

/** Settings every instance of one run shares. */
export interface SharedSettings {
  databaseUrl: string;
  directLineSecret: string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/**
 * Starts `node --cpu-prof bin/lotse.js serve` and waits until `/readyz` answers 200. Start
 * instances of one schema one after the other: the first runs the migrations.
 */
export async function startInstance(name: string, shared: SharedSettings): Promise<Instance> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `lotse-bench-load-${name}-`));
  const profileDir = mkdtempSync(join(tmpdir(), `lotse-bench-prof-${name}-`));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  if (!process.env.LOTSE_BENCH_KEEP_PROFILES) {
    cleanups.push(async () => rmSync(profileDir, { recursive: true, force: true }));
  }
  const child = spawn(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, join(REPO_ROOT, 'bin', 'lotse.js'), 'serve'],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: shared.databaseUrl,
        REDIS_URL,
        LOTSE_DIRECTLINE_SECRET: shared.directLineSecret,
        LOG_LEVEL: 'silent',
        LOTSE_TOKEN_RATE_LIMIT: '100000',
        LOTSE_DATA_DIR: dataDir,
        // The benchmark plays a load balancer: each conversation comes from its own client
        // address (X-Forwarded-For), as real users do, so per-address limits apply per user.
        LOTSE_TRUSTED_PROXIES: 'loopback',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  live.add(child);
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 50) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((done) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      done(code ?? (signal ? -1 : null));
    });
  });
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));

  const stop = async () => {
    if (exitCode !== undefined || !live.has(child)) return;
    child.kill('SIGINT');
    const timedOut = await Promise.race([exited.then(() => false), delay(20_000, true)]);
    if (timedOut) {
      console.error(`!!! instance ${name} did not exit 20 s after SIGINT; killing it`);
      child.kill('SIGKILL');
      await exited;
    }
  };
  cleanups.push(stop);

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(`instance ${name} exited (${exitCode}) before ready:\n${output.join('')}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`instance ${name} not ready after 60 s:\n${output.join('')}`);
    }
    try {
      const res = await fetch(`${base}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await delay(50);
  }
  return {
    name,
    base,
    pid: child.pid!,
    stop,
    profilePath() {
      const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
      return file ? join(profileDir, file) : undefined;
    },
  };
}

/** Resident set size of a process in MiB, from /proc/<pid>/status (VmRSS). */
export function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readProc(pid, 'status'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** A /proc file of the process; empty when it is gone (it crashed), so figures become NaN. */
function readProc(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readProc(pid, 'stat');
  if (!stat) return NaN;
  // Fields after the command name (which may contain spaces) — utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** Busy and total CPU ticks of the whole machine (all cores), from /proc/stat. */
export function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
  const ticks = fields.slice(0, 8).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  // user, nice, system, irq, softirq; not idle, iowait or steal (the hypervisor's).
  const busy = [0, 1, 2, 5, 6].reduce((a, i) => a + ticks[i]!, 0);
  return { busy, total };
}
