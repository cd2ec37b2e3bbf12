import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import IORedis from 'ioredis';
import { lines } from './output';
import { killGroup, portInUse } from './postgres';

/** What answers at a Redis URL: Redis, nothing (a local Redis can take the port), or something else. */
export type RedisProbe = { state: 'up' } | { state: 'refused' } | { state: 'other'; detail: string };

export async function probeRedis(redisUrl: string): Promise<RedisProbe> {
  const redis = new IORedis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return { state: 'up' };
  } catch (err) {
    // ioredis reports a refused connection as a closed one: ask the port itself.
    const u = new URL(redisUrl);
    if (!(await portInUse(Number(u.port || 6379), u.hostname))) return { state: 'refused' };
    return { state: 'other', detail: (err as Error).message };
  } finally {
    redis.disconnect();
  }
}

/** A `redis-server` executable on PATH, if the machine has one. */
export function redisServerOnPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'redis-server');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

export interface LocalRedisHandle {
  port: number;
  /** Where it came from: the machine's redis-server, or the one the redis-memory-server package provides. */
  source: 'path' | 'package';
  stop(): Promise<void>;
  /** For a synchronous `exit` handler: stop it without waiting. */
  stopNow(): void;
}

/**
 * Arguments of a Redis for `pnpm start`: local only, working files under `dataDir`, and nothing
 * kept on disk, like the project's own Redis (the outboxes re-send whatever a restart lost).
 */
const redisArgs = (port: number, dataDir: string) => [
  '--port',
  String(port),
  '--bind',
  '127.0.0.1',
  '--dir',
  dataDir,
  '--save',
  '',
  '--appendonly',
  'no',
  '--protected-mode',
  'yes',
];

/**
 * Starts a Redis for `pnpm start`: the machine's `redis-server` when PATH has one, else the one
 * the `redis-memory-server` package provides (it builds Redis once into `<dataDir>/bin` on first
 * use: that needs a network and a C compiler; `REDISMS_SYSTEM_BINARY` points it at a binary instead).
 */
export async function startLocalRedis(opts: {
  port: number;
  dataDir: string;
  onLog: (line: string) => void;
  /** Which executable to use; by default PATH's redis-server, else the package's. */
  binary?: string | null;
  timeoutMs?: number;
}): Promise<LocalRedisHandle> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const binary = opts.binary === undefined ? redisServerOnPath() : opts.binary;
  if (!binary) return startPackagedRedis(opts);
  const child = spawn(binary, redisArgs(opts.port, opts.dataDir), {
    // Its own process group: a Ctrl-C in the terminal reaches `pnpm start`, which stops the services first, then Redis.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  lines(child.stdout!, opts.onLog);
  lines(child.stderr!, opts.onLog);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (!alive()) return;
    child.kill('SIGTERM');
    const gone = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!gone) {
      killGroup(child.pid, 'SIGKILL');
      await exited;
    }
  };
  const url = `redis://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  while ((await probeRedis(url)).state !== 'up') {
    if (!alive())
      throw new Error(
        `redis-server (${binary}) exited while starting (${child.signalCode ?? `code ${child.exitCode}`})`,
      );
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server (${binary}) did not answer on port ${opts.port} in time`);
    }
    await sleep(100);
  }
  return { port: opts.port, source: 'path', stop, stopNow: () => void (alive() && child.kill('SIGTERM')) };
}

async function startPackagedRedis(opts: {
  port: number;
  dataDir: string;
  onLog: (line: string) => void;
}): Promise<LocalRedisHandle> {
  // Loaded only here: most machines have a redis-server, and the package's first use builds one.
  const { RedisMemoryServer } = require('redis-memory-server') as typeof import('redis-memory-server');
  opts.onLog('no redis-server on PATH: starting the one the redis-memory-server package provides (built on first use)');
  const server = new RedisMemoryServer({
    instance: { port: opts.port, ip: '127.0.0.1', args: redisArgs(opts.port, opts.dataDir).slice(4) },
    binary: { downloadDir: path.join(opts.dataDir, 'bin') },
  });
  await server.start();
  const pid = server.instanceInfoSync?.childProcess?.pid;
  return {
    port: opts.port,
    source: 'package',
    stop: async () => void (await server.stop()),
    stopNow: () => void (pid && killGroup(pid, 'SIGTERM')),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());
