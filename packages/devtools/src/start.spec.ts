import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import IORedis from 'ioredis';
import {
  TEST_PG_SERVER,
  TEST_REDIS_URL,
  admin,
  deleteKeys,
  freePort,
  stopChild,
  testDatabaseName,
  testQueuePrefix,
  until,
  withClient,
} from '@anju/testing';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * `pnpm start` itself, as a process, on ports and a database of its own (governance only, to stay
 * quick): it creates a missing database, loads the demo on first run, stops everything when one of
 * its processes exits, and falls back to an embedded PostgreSQL when none answers.
 */
describe('pnpm start', () => {
  let start: ChildProcess | undefined;
  let output = '';
  const cleanups: (() => Promise<unknown> | unknown)[] = [];

  afterEach(async () => {
    await stopChild(start);
    for (const c of cleanups.splice(0).reverse()) await c();
    start = undefined;
    output = '';
  });

  const launch = async (env: Record<string, string>) => {
    const ports = {
      GOVERNANCE_PORT: String(await freePort()),
      GOVERNANCE_WORKER_HEALTH_PORT: String(await freePort()),
    };
    const prefix = testQueuePrefix();
    cleanups.push(async () => {
      const redis = new IORedis(TEST_REDIS_URL);
      try {
        await deleteKeys(redis, `${prefix}:*`);
      } finally {
        redis.disconnect();
      }
    });
    start = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'start.ts'), '--only', 'governance'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', QUEUE_PREFIX: prefix, ...ports, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    start.stdout!.on('data', (d) => (output += d));
    start.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => start!.once('exit', (code) => resolve(code)));
    await until(
      async () => output.includes('Anju is running') || start!.exitCode !== null,
      '`pnpm start` to be running',
      240_000,
    );
    expect(output).toContain('Anju is running: 2 processes');
    return { ports, exited };
  };

  /** The processes `pnpm start` runs (each the leader of its own process group), by their entry point. */
  const children = (): { pid: number; args: string }[] =>
    execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(start!.pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => ({ pid: Number(l.split(/\s+/)[0]), args: l.slice(l.indexOf(' ') + 1) }))
      .filter((c) => c.args.includes('services/'));
  /** Whether any process of the group still runs (a zombie waiting for its parent to reap it does not). */
  const groupAlive = (pgid: number) =>
    execFileSync('ps', ['-e', '-o', 'pgid=,stat='], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .some(([group, stat]) => Number(group) === pgid && !stat.startsWith('Z'));

  it('creates a missing database, loads the demo on a first run, stops all when one process exits', async () => {
    const name = testDatabaseName('start');
    cleanups.push(() => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
    const { exited } = await launch({ DATABASE_URL: `${TEST_PG_SERVER}/${name}` });
    expect(output).toContain(`created database ${name}`);
    expect(output).toMatch(/empty database: loaded the demo data/);
    const [counts] = await withClient(
      `${TEST_PG_SERVER}/${name}`,
      async (c) =>
        (
          await c.query(
            `SELECT (SELECT count(*) FROM governance.site)::int AS sites,
              (SELECT count(*) FROM governance.resident)::int AS residents`,
          )
        ).rows,
    );
    expect(counts).toEqual({ sites: 4, residents: 600 });

    const procs = children();
    expect(procs.map((c) => c.args.match(/services\/governance\/src\/(\w+)\.ts/)?.[1]).sort()).toEqual([
      'api',
      'worker',
    ]);
    const worker = procs.find((c) => c.args.includes('worker.ts'))!;
    process.kill(worker.pid, 'SIGKILL'); // a crash of one process
    expect(await exited).toBe(1);
    expect(output).toMatch(/gov-worker exited \(SIGKILL\) — stopping everything/);
    expect(output).toContain('stopped after a failure');
    await until(
      async () => procs.every((c) => !groupAlive(c.pid)),
      'every process group of `pnpm start` to be gone',
      10_000,
    );
  }, 300_000);

  it('starts an embedded PostgreSQL when none answers, creates the database, and stops it on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-start-pg-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort(); // nothing listens there
    const { exited } = await launch({
      DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${port}/anju_start`,
      START_EMBEDDED_PG_DIR: dataDir,
      START_DEMO_DATA: 'false',
    });
    expect(output).toContain(`starting an embedded one on port ${port}`);
    expect(output).toContain('created database anju_start');
    expect(output).toContain(`PostgreSQL embedded (${path.relative(REPO_ROOT, dataDir)}) on port ${port}`);
    const [row] = await withClient(
      `postgres://postgres:postgres@127.0.0.1:${port}/anju_start`,
      async (c) =>
        (await c.query(`SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = 'governance'`))
          .rows,
    );
    expect(row).toEqual({ n: 1 });

    start!.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('stopping the embedded PostgreSQL');
    await expect(
      withClient(`postgres://postgres:postgres@127.0.0.1:${port}/anju_start`, (c) => c.query('SELECT 1')),
    ).rejects.toThrow();
  }, 300_000);

  it('starts a Redis if none answers at REDIS_URL, its files in the data directory; stops it on SIGTERM', async () => {
    const name = testDatabaseName('startredis');
    cleanups.push(() => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-start-redis-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort(); // nothing listens there
    const url = `redis://127.0.0.1:${port}`;
    const { exited } = await launch({
      DATABASE_URL: `${TEST_PG_SERVER}/${name}`,
      REDIS_URL: url,
      START_EMBEDDED_REDIS_DIR: dataDir,
      START_DEMO_DATA: 'false',
    });
    expect(output).toContain(`no Redis at ${url}: starting one on port ${port}`);
    expect(output).toContain(`Redis started here on port ${port}`);
    // The services use it: the worker's schedulers and queues are there.
    const redis = new IORedis(url, { maxRetriesPerRequest: 0 });
    try {
      expect((await redis.keys('*')).some((k) => k.includes('governance.schedules'))).toBe(true);
      expect(await redis.config('GET', 'dir')).toEqual(['dir', fs.realpathSync(dataDir)]);
      expect(await redis.config('GET', 'save')).toEqual(['save', '']);
    } finally {
      redis.disconnect();
    }

    start!.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('stopping the Redis started here');
    const after = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    after.on('error', () => undefined);
    await expect(after.connect()).rejects.toThrow();
    after.disconnect();
  }, 300_000);
});
