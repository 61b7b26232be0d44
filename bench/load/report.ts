/** Turns one load run into the printed tables: traffic, errors, machine, instances, profiles. */
import { fmt, percentile, table } from '../measure.js';
import type { ProfileSummary } from './profile.js';
import type { TrafficResult } from './traffic.js';

export interface InstanceReport {
  name: string;
  rssMiB: number;
  cpuSeconds: number;
  profile: ProfileSummary | undefined;
}

export interface RunReport {
  title: string;
  traffic: TrafficResult;
  perInstance: InstanceReport[];
  driverCpuSeconds: number;
  /** CPU seconds the whole machine was busy during the turns, and its core count. */
  machine: { busySeconds: number; totalSeconds: number; cores: number };
}

export const tps = (r: RunReport) => r.traffic.latencies.length / r.traffic.seconds;
export const latency = (r: RunReport, q: number) => percentile(r.traffic.latencies, q);
export const errorCount = (r: RunReport) =>
  [...r.traffic.errors.values()].reduce((a, b) => a + b, 0);
const pct = (x: number) => `${fmt(x * 100, 1)}%`;
const p50p99 = (samples: number[]) =>
  `${fmt(percentile(samples, 50), 0)}/${fmt(percentile(samples, 99), 0)}`;

/** "throughput 1.23×, p50 0.98×, p99 1.10×" of `b` relative to `a`. */
export function ratio(b: RunReport, a: RunReport): string {
  return (
    `throughput ${fmt(tps(b) / tps(a))}×, p50 ${fmt(latency(b, 50) / latency(a, 50))}×, ` +
    `p99 ${fmt(latency(b, 99) / latency(a, 99))}×`
  );
}

export function formatRun(r: RunReport): string {
  const t = r.traffic;
  const lines = [
    `--- ${r.title} ---`,
    table(
      ['turns', 'seconds', 'turns/s', 'p50 ms', 'p99 ms', 'Q&A p50/p99', 'flow p50/p99'],
      [
        [
          String(t.latencies.length),
          fmt(t.seconds, 1),
          fmt(tps(r), 1),
          fmt(latency(r, 50), 0),
          fmt(latency(r, 99), 0),
          p50p99(t.byKind.qa),
          p50p99(t.byKind.flow),
        ],
      ],
    ),
    `errors: ${errorCount(r)}; polls per turn ${fmt(t.pollsPerTurn, 1)}; most requests from one ` +
      `client address to one instance ${t.maxRequestsPerClient} (Direct Line allows 1000/min)`,
  ];
  if (errorCount(r) > 0) {
    lines.push(
      `!!!!!!!! ${errorCount(r)} ERRORS (${r.title}) — must be 0; ${t.skipped} later turns of the ` +
        'broken conversations not tried !!!!!!!!',
      ...[...t.errors].sort((a, b) => b[1] - a[1]).map(([k, n]) => `!!! ${n} × ${k}`),
    );
  }
  const instancesCpu = r.perInstance.reduce((a, x) => a + x.cpuSeconds, 0);
  lines.push(
    `machine CPU during the turns: ${fmt(r.machine.busySeconds, 1)} s busy of ` +
      `${fmt(r.machine.totalSeconds, 1)} s (${r.machine.cores} cores) — instances ` +
      `${fmt(instancesCpu, 1)} s, load driver ${fmt(r.driverCpuSeconds, 1)} s, everything else ` +
      `(PostgreSQL, …) ${fmt(r.machine.busySeconds - instancesCpu - r.driverCpuSeconds, 1)} s`,
    '',
    table(
      ['instance', 'RSS MiB', 'CPU s', 'sampled s', 'idle', 'GC', 'program'].concat([
        'repo',
        'deps',
        'node',
        'native',
      ]),
      r.perInstance.map((x) => {
        const s = x.profile?.shares;
        const sampled = x.profile
          ? fmt(x.profile.totalMs / 1000, 1) + (x.profile.windowed ? '' : ' (whole run)')
          : '—';
        const shares = s
          ? [s.idle, s.GC, s.program, s.repo, s.deps, s.node, s.native].map(pct)
          : Array<string>(7).fill('—');
        return [x.name, fmt(x.rssMiB, 0), fmt(x.cpuSeconds, 1), sampled, ...shares];
      }),
    ),
  );
  for (const x of r.perInstance) {
    lines.push('', `top 10 functions by self time, instance ${x.name}:`);
    if (!x.profile) {
      lines.push('!!! no .cpuprofile was written');
      continue;
    }
    lines.push(
      table(
        ['self ms', 'share', 'function', 'where', 'for (nearest repo/dependency caller)'],
        x.profile.top.map((f) => [fmt(f.selfMs, 0), pct(f.share), f.name, f.where, f.via ?? '']),
      ),
    );
  }
  return lines.join('\n');
}
