/**
 * The promise, tested with a real crash: "a citizen's submitted application is never
 * lost, even if the process is killed mid-delivery". A dispatcher runs in a child process on a
 * SQLite file and delivers to a signed-webhook receiver in this process. The receiver answers
 * the first four requests and holds the next four open; once the child has recorded the four
 * deliveries and the four held requests are open, the test SIGKILLs it. The held connections
 * closing unanswered only after the kill proves the requests were in flight. A restarted child
 * (its clock past the dead one's lease) must then deliver everything: every submission arrives,
 * the interrupted ones exactly twice and all others once, so de-duplication by idempotency key
 * leaves each exactly once.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openStores } from '../../../storage/open-store.js';
import type { RunningServer } from '../connectors/receivers.js';
import { send, startWebhookReceiver } from '../connectors/receivers.js';
import { submission } from './helpers.js';

const secret = 'a-long-shared-secret-0123456789';
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/dispatch-until-idle.ts', import.meta.url));
const SUBMISSIONS = 12;
const ANSWERED_BEFORE_KILL = 4;
const HELD_AT_KILL = 4;
const LEASE_MS = 60_000;

interface Child {
  process: ChildProcess;
  events: { event: string; key?: string }[];
  /** Resolves when `condition` holds for the events so far; rejects if the child exits first. */
  until(condition: () => boolean): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startChild(dataDir: string, url: string, clockOffsetMs: number): Child {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fixture, dataDir, url, secret, String(clockOffsetMs)],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const events: Child['events'] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    events.push(JSON.parse(line) as Child['events'][number]);
    waiters.forEach((check) => check());
  });
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stderr: string;
  }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  return {
    process: child,
    events,
    exited,
    until: (condition) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!condition()) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        void exited.then(({ code, signal }) =>
          reject(new Error(`dispatcher exited early (${code ?? signal}): ${stderr}`)),
        );
        check();
      }),
  };
}

describe('a dispatcher killed while deliveries are in flight', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('loses nothing: after a restart every submission arrives, exactly once after de-duplication', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lotse-crash-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const stores = await openStores({ dataDir });
    const keys: string[] = [];
    for (let i = 0; i < SUBMISSIONS; i += 1) {
      const record = await stores.outbox.enqueue(
        submission({ connector: 'webhook', idempotencyKey: `crash-${i}` }),
      );
      keys.push(record.idempotencyKey);
    }
    await stores.close();

    let restarted = false;
    let killedAt = Infinity;
    const arrivals: string[] = [];
    const held: { key: string; closed: Promise<{ unanswered: boolean; at: number }> }[] = [];
    let onHeld = () => undefined as void;
    const receiver: RunningServer & { refusals: string[] } = await startWebhookReceiver({
      secret,
      respond: (delivery) => {
        arrivals.push(delivery.key);
        if (restarted || arrivals.length <= ANSWERED_BEFORE_KILL) {
          send(delivery.response, 200, { reference: `CASE-${delivery.key}` });
          return;
        }
        const response = delivery.response;
        held.push({
          key: delivery.key,
          closed: new Promise((resolve) =>
            response.on('close', () =>
              resolve({ unanswered: !response.writableEnded, at: Date.now() }),
            ),
          ),
        });
        onHeld();
      },
    });
    cleanup.push(() => receiver.close());

    // First run: four answered and recorded, four held open, then SIGKILL.
    const first = startChild(dataDir, receiver.url, 0);
    cleanup.push(async () => first.process.kill('SIGKILL'));
    const heldReady = new Promise<void>((resolve) => {
      onHeld = () => (held.length === HELD_AT_KILL ? resolve() : undefined);
    });
    await first.until(
      () => first.events.filter((e) => e.event === 'delivered').length === ANSWERED_BEFORE_KILL,
    );
    await heldReady;
    killedAt = Date.now();
    first.process.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const closings = await Promise.all(held.map((h) => h.closed));
    // The held requests were open until the kill: closed by the dying process, never answered.
    expect(closings.every((c) => c.unanswered && c.at >= killedAt)).toBe(true);
    expect(arrivals).toHaveLength(ANSWERED_BEFORE_KILL + HELD_AT_KILL);

    // Restart after the dead process's lease ran out; it drains the outbox and exits.
    restarted = true;
    const second = startChild(dataDir, receiver.url, LEASE_MS + 1000);
    cleanup.push(async () => second.process.kill('SIGKILL'));
    const { code, stderr } = await second.exited;
    expect({ code, stderr }).toMatchObject({ code: 0 });
    expect(second.events.at(-1)).toEqual({ event: 'idle' });

    const arrivedTimes = new Map<string, number>();
    for (const key of arrivals) arrivedTimes.set(key, (arrivedTimes.get(key) ?? 0) + 1);
    const interrupted = held.map((h) => h.key).sort();
    expect([...arrivedTimes.keys()].sort()).toEqual([...keys].sort());
    expect(
      [...arrivedTimes]
        .filter(([, times]) => times === 2)
        .map(([key]) => key)
        .sort(),
    ).toEqual(interrupted);
    expect([...arrivedTimes.values()].every((times) => times === 1 || times === 2)).toBe(true);
    expect(receiver.refusals).toEqual([]);

    const after = await openStores({ dataDir });
    try {
      const records = await after.outbox.list({ limit: 100 });
      expect(records.map((r) => r.status)).toEqual(Array(SUBMISSIONS).fill('delivered'));
      for (const record of records) {
        expect(record.backendReference).toBe(`CASE-${record.idempotencyKey}`);
        expect(record.attempts).toBe(interrupted.includes(record.idempotencyKey) ? 2 : 1);
      }
    } finally {
      await after.close();
    }
  }, 30_000);
});
