import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import IORedis from 'ioredis';
import { declarationOf, type ServiceName } from '@anju/contracts';
import { REPO_ROOT } from './paths';

/** Ports this process has handed out: the OS may offer a closed one again before its user has bound it. */
const handedOut = new Set<number>();

/** A free TCP port on loopback, never one this process handed out before (a test gives several to one start). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const { port: chosen } = srv.address() as net.AddressInfo;
        srv.close(() => resolve(chosen));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Stops a child process: SIGTERM, then SIGKILL when it is still there after `graceMs`; resolves
 * once it has exited. Leaves no timer behind: a pending one keeps the jest worker alive after its
 * last file ("A worker process has failed to exit gracefully").
 */
export async function stopChild(child: ChildProcess | undefined, graceMs = 30_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = await Promise.race([
    gone.then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs))),
  ]);
  clearTimeout(timer);
  if (late) {
    child.kill('SIGKILL');
    await gone;
  }
}

/**
 * A redis-server of the test's own on a spare port, to stop, flush and restart without touching
 * the shared one. Nothing is kept on disk, like the machine's Redis.
 */
export class ThrowawayRedis {
  private proc?: ChildProcess;

  private constructor(readonly port: number) {}

  static async start(): Promise<ThrowawayRedis> {
    const r = new ThrowawayRedis(await freePort());
    await r.up();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    const proc = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    // A file that fails before its down() must neither keep the jest worker alive nor leave a server behind.
    proc.unref();
    const killOnExit = () => proc.kill('SIGKILL');
    process.once('exit', killOnExit);
    proc.once('exit', () => process.off('exit', killOnExit));
    this.proc = proc;
    await until(async () => (await this.client((c) => c.ping())) === 'PONG', `redis on ${this.port}`);
  }

  async down(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  }

  async client<T>(fn: (c: IORedis) => Promise<T>): Promise<T> {
    const c = new IORedis(this.url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    c.on('error', () => undefined);
    try {
      await c.connect();
      return await fn(c);
    } finally {
      c.disconnect();
    }
  }
}

/** Service processes not yet exited, so that a test system can stop those a failed test left running. */
const live = new Set<ServiceProcess>();

/** The service processes still running on database `databaseUrl`. */
export function liveProcessesOn(databaseUrl: string): ServiceProcess[] {
  return [...live].filter((p) => p.databaseUrl === databaseUrl);
}

/** A service entry point (`api` or `worker`) as its own OS process, to kill it like a crash would. */
export class ServiceProcess {
  output = '';
  private constructor(
    readonly proc: ChildProcess,
    readonly name: string,
    readonly databaseUrl: string | undefined,
  ) {}

  static start(service: ServiceName, entry: 'api' | 'worker', env: Record<string, string>): ServiceProcess {
    // node itself with tsx as a loader (not the tsx CLI, which runs the program in a child
    // process that a SIGKILL of the CLI would leave running).
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, declarationOf(service)[entry].entry)],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const sp = new ServiceProcess(proc, `${service}-${entry} process`, env.DATABASE_URL);
    live.add(sp);
    proc.once('exit', () => live.delete(sp));
    proc.stdout!.on('data', (d) => (sp.output += d));
    proc.stderr!.on('data', (d) => (sp.output += d));
    return sp;
  }

  /** Polls the output; the bound is generous because a cold tsx boot takes tens of seconds on a loaded machine. */
  async waitForLog(fragment: string, timeoutMs = 90_000): Promise<void> {
    await until(
      async () => this.output.includes(fragment),
      `"${fragment}" in the output of ${this.proc.spawnfile}`,
      timeoutMs,
    );
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.proc.once('exit', () => resolve());
      this.proc.kill(signal);
    });
  }
}

export { until };
