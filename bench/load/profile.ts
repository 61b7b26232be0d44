/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and says where the time went during the load:
 * shares of idle, garbage collection, V8's own work ("program"), and JavaScript in this repository,
 * its dependencies and Node itself; plus the functions with the most self time. Only samples
 * inside the load window count, so start-up (index build, migrations) and shutdown don't blur it.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Milliseconds sampled in the window. */
  totalMs: number;
  /** Whether the window matched the profile's clock (else the whole profile is summarised). */
  windowed: boolean;
  /** Share (0–1) per category. */
  shares: Record<Category, number>;
  /**
   * The functions with the most self time. For Node internals and V8 builtins (a `writev` is a
   * socket write) `via` names the nearest caller in this repository or a dependency — what the
   * time was spent for.
   */
  top: { name: string; where: string; via?: string; selfMs: number; share: number }[];
}

export type Category = 'idle' | 'GC' | 'program' | 'repo' | 'deps' | 'node' | 'native';

const SPECIAL: Record<string, Category> = {
  '(idle)': 'idle',
  '(garbage collector)': 'GC',
  '(program)': 'program',
  '(root)': 'program',
};

function categoryOf(frame: CallFrame, repoRoot: string): Category {
  const special = SPECIAL[frame.functionName];
  if (special && !frame.url) return special;
  if (frame.url.startsWith('node:')) return 'node';
  if (!frame.url.startsWith('file:')) return 'native';
  const path = fileURLToPath(frame.url);
  if (!path.startsWith(repoRoot)) return 'deps';
  return path.includes('/node_modules/') ? 'deps' : 'repo';
}

function whereOf(frame: CallFrame, repoRoot: string): string {
  if (!frame.url) return '(native)';
  if (!frame.url.startsWith('file:')) return `${frame.url}:${frame.lineNumber + 1}`;
  const path = fileURLToPath(frame.url);
  const file = relative(repoRoot, path);
  if (!/\.[cm]?ts$/.test(path)) return `${file}:${frame.lineNumber + 1}`;
  // tsx compiles TypeScript without keeping lines, so V8's line is meaningless there: find the
  // function's definition by name instead.
  const line = definitionLine(path, frame.functionName);
  return line ? `${file}:${line}` : file;
}

const sources = new Map<string, string[]>();

/** The 1-based line where `name` is defined in the file, if one is found. */
function definitionLine(path: string, name: string): number | undefined {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  const id = name.replace(/\$/g, '\\$');
  let lines = sources.get(path);
  if (!lines) {
    lines = readFileSync(path, 'utf8').split('\n');
    sources.set(path, lines);
  }
  const patterns = [
    new RegExp(`\\bfunction\\s*\\*?\\s*${id}\\s*[(<]`),
    new RegExp(
      `^\\s*(?:(?:public|private|protected|static|override|readonly|async|get|set)\\s+)*\\*?${id}\\s*[(<]`,
    ),
    new RegExp(`\\b${id}\\s*[:=]\\s*(?:async\\s*)?(?:\\(|function\\b|[A-Za-z_$][\\w$]*\\s*=>)`),
    new RegExp(`\\bclass\\s+${id}\\b`),
  ];
  for (const pattern of patterns) {
    // A line ending in `;` is a call, not a definition.
    const index = lines.findIndex((l) => pattern.test(l) && !l.trimEnd().endsWith(';'));
    if (index >= 0) return index + 1;
  }
  return undefined;
}

/**
 * Summarises the profile at `path`, counting samples between `windowUs.from` and `windowUs.to`
 * (process.hrtime in µs — the clock V8 stamps samples with on Linux).
 */
export function summariseProfile(
  path: string,
  repoRoot: string,
  windowUs: { from: number; to: number },
  topN = 10,
): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const windowed = profile.startTime <= windowUs.from && windowUs.to <= profile.endTime;
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    // A sample stands for the time until the next one.
    const span = profile.timeDeltas[i + 1] ?? 0;
    if (windowed && (t < windowUs.from || t > windowUs.to)) continue;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + span);
  }

  const shares: Record<Category, number> = {
    idle: 0,
    GC: 0,
    program: 0,
    repo: 0,
    deps: 0,
    node: 0,
    native: 0,
  };
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parents.set(child, n.id);
  /** The nearest caller of `id` that is JavaScript of the repo or a dependency. */
  const userlandCaller = (id: number): string | undefined => {
    for (let p = parents.get(id); p !== undefined; p = parents.get(p)) {
      const frame = byId.get(p)!.callFrame;
      const category = categoryOf(frame, repoRoot);
      if (category === 'repo' || category === 'deps') {
        return `${frame.functionName || '(anonymous)'} ${whereOf(frame, repoRoot)}`;
      }
    }
    return undefined;
  };

  const functions = new Map<string, { name: string; where: string; via?: string; us: number }>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    total += us;
    const category = categoryOf(frame, repoRoot);
    shares[category] += us;
    if (SPECIAL[frame.functionName] && !frame.url) continue;
    const name = frame.functionName || '(anonymous)';
    const where = whereOf(frame, repoRoot);
    const via = category === 'node' || category === 'native' ? userlandCaller(id) : undefined;
    const key = `${name} ${where} ${via ?? ''}`;
    const entry = functions.get(key) ?? { name, where, ...(via ? { via } : {}), us: 0 };
    entry.us += us;
    functions.set(key, entry);
  }
  for (const k of Object.keys(shares) as Category[]) shares[k] = total ? shares[k] / total : 0;
  const top = [...functions.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, topN)
    .map((f) => ({
      name: f.name,
      where: f.where,
      ...(f.via ? { via: f.via } : {}),
      selfMs: f.us / 1000,
      share: total ? f.us / total : 0,
    }));
  return { totalMs: total / 1000, windowed, shares, top };
}
