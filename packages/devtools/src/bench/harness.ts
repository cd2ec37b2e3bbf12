import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig, setting } from '@anju/kit';
import { NODE_OPTIONS_BY_PROCESS } from '@anju/contracts';
import { deleteQueuePrefix } from '@anju/testing';

/**
 * What every benchmark needs: free ports, its own database, child processes that die with the
 * benchmark (on success, error or Ctrl-C), autocannon with typed results, a table and a JSON report.
 */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const ADMIN_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

const benchSettings = {
  BENCH_CPU_PROFILE: setting.bool(
    false,
    'child processes write V8 CPU profiles into .bench/profiles/<child>/ when they stop',
  ),
  BENCH_COMPILED: setting.bool(
    false,
    'children run the compiled build (`pnpm build` first, then ' +
      '`node dist/…js`), as production does, instead of through tsx',
  ),
};
const benchConfig = () => loadConfig(benchSettings);

/** The V8 heap of each kind of process, as compose and Kubernetes give it (the contract's NODE_OPTIONS_BY_PROCESS). */
export const API_NODE_OPTIONS = NODE_OPTIONS_BY_PROCESS.api;
export const IMPORT_WORKER_NODE_OPTIONS = NODE_OPTIONS_BY_PROCESS['import-worker'];
export { workerNodeOptions } from '@anju/contracts';

/**
 * The entry to run and how: the TypeScript file through tsx, or under BENCH_COMPILED its compiled
 * copy in dist/ (built once per benchmark run). tsx compiles with esbuild's keepNames, which wraps
 * every function it creates in a call that names it: ~0.6 µs per closure where the compiled code
 * takes 0.02 µs, on every request for code that makes closures per request (contexts, loaders).
 */
let built = false;
function entryArgs(entry: string): string[] {
  if (!benchConfig().BENCH_COMPILED) return ['--import', 'tsx', path.join(REPO_ROOT, entry)];
  if (!built) {
    console.log('BENCH_COMPILED: pnpm build…');
    execFileSync('pnpm', ['-s', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
    built = true;
  }
  return [path.join(REPO_ROOT, 'dist', entry.replace(/\.ts$/, '.js'))];
}

/** One free-port helper for tests and benchmarks. */
export { freePort } from '@anju/testing';

/** A benchmark whose load saw errors does not count: it fails loudly with what the children said. */
export function assertNoLoadErrors(results: LoadResult[], children: Children): void {
  const failed = results.filter((r) => r.errors > 0);
  if (!failed.length) return;
  const lines = failed.map(
    (r) => `  ${r.label}: ${JSON.stringify(r.detail)}\n${r.samples.map((s) => `    ${s}`).join('\n')}`,
  );
  throw new Error(`THE BENCHMARK SAW ERRORS: its figures do not count.\n${lines.join('\n')}\n${children.report()}`);
}

/** Drops and recreates a database of the benchmark's own; returns its URL. */
export async function recreateDatabase(name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a safe database name: ${name}`);
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

interface Child {
  name: string;
  entry: string;
  env: Record<string, string>;
  nodeOptions: string;
  proc: ChildProcess;
  /** The last lines it printed, to show when something goes wrong. */
  tail: string[];
}

/**
 * TypeScript entry points run as child processes (`node --import tsx`, so the pid is the
 * process itself, not a wrapper). All are stopped when the benchmark ends, however it ends.
 */
export class Children {
  private readonly children: Child[] = [];
  private readonly killAll = () => {
    for (const c of this.children) if (alive(c.proc)) c.proc.kill('SIGKILL');
  };

  constructor() {
    process.once('exit', this.killAll);
  }

  /** `nodeOptions`: V8/Node flags of this process, e.g. API_NODE_OPTIONS for an API or the gateway. */
  start(name: string, entry: string, env: Record<string, string>, nodeOptions = ''): void {
    const profile = benchConfig().BENCH_CPU_PROFILE
      ? // one file per thread (tsx's loader has one)
        ['--cpu-prof', `--cpu-prof-dir=${path.join(REPO_ROOT, '.bench', 'profiles', name)}`]
      : [];
    const proc = spawn(process.execPath, [...nodeOptions.split(' ').filter(Boolean), ...profile, ...entryArgs(entry)], {
      cwd: REPO_ROOT,
      // A benchmark measures throughput, not the per-token rate limit (one token sends all its load).
      env: { RATE_LIMIT_PER_MINUTE: '0', ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child: Child = { name, entry, env, nodeOptions, proc, tail: [] };
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        child.tail.push(line);
        if (child.tail.length > 50) child.tail.shift();
      }
    };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    proc.once('exit', (code, signal) => {
      if (!this.stopping && !this.expected.delete(proc))
        console.error(`\n!! ${name} exited unexpectedly (code ${code}, signal ${signal})\n${this.tailOf(child)}`);
    });
    const i = this.children.findIndex((c) => c.name === name);
    if (i >= 0) this.children.splice(i, 1, child);
    else this.children.push(child);
  }

  private stopping = false;
  /** Processes stopped on purpose (a benchmark's fault): their exit is news to nobody. */
  private readonly expected = new Set<ChildProcess>();

  /** Stops one child with `signal` (SIGKILL: a crash; SIGTERM: a deploy) and waits for it to exit. */
  async kill(name: string, signal: NodeJS.Signals): Promise<void> {
    const child = this.children.find((c) => c.name === name);
    if (!child) throw new Error(`no child named ${name}`);
    if (!alive(child.proc)) return;
    this.expected.add(child.proc);
    await new Promise<void>((resolve) => {
      child.proc.once('exit', () => resolve());
      child.proc.kill(signal);
    });
  }

  /** Starts a stopped child again, with the entry point, environment and V8 flags it had. */
  restart(name: string): void {
    const child = this.children.find((c) => c.name === name);
    if (!child) throw new Error(`no child named ${name}`);
    this.start(name, child.entry, child.env, child.nodeOptions);
  }

  tailOf(child: Child): string {
    return child.tail.map((l) => `   [${child.name}] ${l}`).join('\n');
  }

  /** Everything the children printed lately (they log at warn: whatever is there matters). */
  report(): string {
    return this.children
      .filter((c) => c.tail.length)
      .map((c) => this.tailOf(c))
      .join('\n');
  }

  /** The children's process ids (each is the node process itself), for memory sampling. */
  pids(): { name: string; pid: number }[] {
    return this.children
      .filter((c) => alive(c.proc) && c.proc.pid !== undefined)
      .map((c) => ({ name: c.name, pid: c.proc.pid! }));
  }

  assertAlive(): void {
    const dead = this.children.filter((c) => !alive(c.proc));
    if (dead.length)
      throw new Error(`${dead.map((c) => c.name).join(', ')} stopped:\n${dead.map((c) => this.tailOf(c)).join('\n')}`);
  }

  /** SIGTERM (graceful), then SIGKILL whatever still runs after `graceMs`. */
  // A process writing its CPU profile at exit may need far longer than 5 s on a loaded machine.
  async stopAll(graceMs = benchConfig().BENCH_CPU_PROFILE ? 120_000 : 5_000): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.children.map(({ proc }) => {
        if (!alive(proc)) return undefined;
        return new Promise<void>((resolve) => {
          const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
          proc.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          proc.kill('SIGTERM');
        });
      }),
    );
    process.removeListener('exit', this.killAll);
    // The children's queues (and the raw-BullMQ floor's, under the same prefix) go with them: a bench leaves
    // nothing in the shared Redis, as a test file does not.
    const prefixes = new Set(this.children.map((c) => c.env.QUEUE_PREFIX).filter(Boolean));
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    for (const prefix of prefixes) await deleteQueuePrefix(prefix, redisUrl);
  }
}

const alive = (p: ChildProcess) => p.exitCode === null && p.signalCode === null;

/** Polls a URL until it answers 2xx (the sleep is inside the loop, and the deadline is firm). */
export async function waitForOk(url: string, children: Children, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    children.assertAlive();
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      last = `${res.status} ${await res.text()}`;
      if (res.ok) return;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} was not ready after ${timeoutMs} ms (last: ${last})\n${children.report()}`);
}

// autocannon ships no types; these are the parts used here.
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  expectBody?: string;
  warmup?: { connections: number; duration: number };
  /** Requests taken in turn; `setupRequest` may change each (another body per request). */
  requests?: {
    setupRequest?: (req: { body?: string }) => { body?: string };
    onResponse?: (status: number, body: string) => void;
  }[];
}
interface Histogram {
  average: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}
interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  errors: number;
  timeouts: number;
  mismatches: number;
  non2xx: number;
  '2xx': number;
  duration: number;
}
interface Tracker extends PromiseLike<AutocannonResult> {
  /** The measured run starts (after the warm-up, if any). */
  on(event: 'start', listener: () => void): void;
  on(event: 'reqError', listener: (err: Error) => void): void;
  on(event: 'reqMismatch', listener: (body: string) => void): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: AutocannonOptions) => Tracker;

export interface LoadResult {
  label: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  totalRequests: number;
  /** Transport errors + timeouts + non-2xx answers + bodies that differed from the expected one. */
  errors: number;
  detail: { errors: number; timeouts: number; non2xx: number; mismatches: number };
  /** A few examples of what went wrong, to print loudly. */
  samples: string[];
}

/** One autocannon run; every answer must be 2xx with exactly the expected body. `onStart`: the measured part begins. */
export async function load(
  label: string,
  { onStart, ...opts }: AutocannonOptions & { onStart?: () => void },
): Promise<LoadResult> {
  const samples: string[] = [];
  const tracker = autocannon(opts);
  if (onStart) tracker.on('start', onStart);
  tracker.on('reqError', (err) => samples.length < 5 && samples.push(`error: ${err.message}`));
  tracker.on('reqMismatch', (body) => samples.length < 5 && samples.push(`unexpected body: ${body.slice(0, 500)}`));
  const r = await tracker;
  const detail = { errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx, mismatches: r.mismatches };
  return {
    label,
    requestsPerSecond: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    totalRequests: r.requests.total,
    errors: r.errors + r.non2xx + r.mismatches,
    detail,
    samples,
  };
}

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(rows[0]), sep, ...rows.slice(1).map(line)].join('\n');
}

export function machine() {
  return {
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
  };
}

/** Writes `.bench/<name>-<timestamp>.json` (git-ignored) and returns its path. */
export function writeReport(name: string, report: object): string {
  const dir = path.join(REPO_ROOT, '.bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
