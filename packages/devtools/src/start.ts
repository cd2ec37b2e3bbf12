/**
 * `pnpm start`: the whole platform on one machine, one command.
 *
 *   1. reads the configuration through the kit (every bad setting reported at once);
 *   2. finds PostgreSQL at DATABASE_URL, or starts an embedded one (data in .data/postgres);
 *      creates the database if it is missing;
 *   3. checks Redis at REDIS_URL (queues cannot work without it);
 *   4. runs every process of the table in processes.ts with tsx, each output line prefixed;
 *   5. waits for each /ready and prints where to send a first query.
 * A process that exits stops everything (exit code 1); Ctrl-C or SIGTERM stops everything
 * gracefully (exit code 0). Services migrate their own schemas when they boot.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, platformSettings, serviceLoginUrl, setting } from '@anju/kit';
import { PROCESSES, REPO_ROOT, portSettings, type ProcessDefinition } from './start/processes';
import { NODE_OPTIONS_BY_PROCESS, workerNodeOptions } from '@anju/contracts';
import { NotEmptyError, seed } from './seed/seed';
import { buildPortal } from '@anju/portal';
import { formatLogLine, lines, painter, prefixer } from './start/output';
import {
  databaseName,
  ensureDatabase,
  isLocalHost,
  killGroup,
  portInUse,
  probePostgres,
  redactUrl,
  startEmbeddedPostgres,
  withPort,
  type EmbeddedPostgresHandle,
} from './start/postgres';
import { probeRedis, startLocalRedis, type LocalRedisHandle } from './start/redis';
import { DIST, build } from './build';

const startSettings = {
  ...platformSettings,
  START_READY_TIMEOUT_MS: setting.int(
    120_000,
    '`pnpm start`: how long to wait for every process to answer /ready',
    1_000,
  ),
  START_EMBEDDED_PG_PORT: setting.port(
    54329,
    '`pnpm start`: port of the embedded PostgreSQL when the port of DATABASE_URL is taken by something else',
  ),
  START_EMBEDDED_PG_DIR: setting.string(
    '.data/postgres',
    '`pnpm start`: data directory of the embedded PostgreSQL (relative to the repository root, or absolute)',
  ),
  START_EMBEDDED_REDIS_PORT: setting.port(
    63799,
    '`pnpm start`: port of the Redis it starts when the port of REDIS_URL is taken by something that is not Redis',
  ),
  START_EMBEDDED_REDIS_DIR: setting.string(
    '.data/redis',
    '`pnpm start`: working directory of the Redis it starts when none answers at REDIS_URL (it keeps nothing on disk)',
  ),
  START_DEMO_DATA: setting.bool(
    true,
    '`pnpm start`: load the demo data (as `pnpm seed --scale demo`) when the database has no regions yet',
  ),
};

/** Where the embedded PostgreSQL keeps its data (START_EMBEDDED_PG_DIR, read in main). */
let EMBEDDED_DATA_DIR = path.join(REPO_ROOT, '.data', 'postgres');
const USAGE = `Usage: pnpm start [--only <name,...>] [--raw]

Runs every api, worker and the gateway of Anju, with PostgreSQL and Redis checked first.
  --only   start only these services (${[...new Set(PROCESSES.map((p) => p.service))].join(', ')})
  --raw    print the services' JSON log lines as they are
  --production  build first (pnpm build), then run the compiled JavaScript in dist/ with node, not tsx
Settings come from the environment (see packages/kit/src/config.ts and each service's config.ts).`;

const p = painter(Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env));
const names = ['anju', 'postgres', 'redis', ...PROCESSES.map((d) => d.name)];
const prefix = prefixer(names, p);
const say = (text: string) => {
  for (const line of text.split('\n')) process.stdout.write(`${prefix('anju')}${line}\n`);
};

interface Running {
  def: ProcessDefinition;
  port: number;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: Running[] = [];
let embedded: EmbeddedPostgresHandle | undefined;
let localRedis: LocalRedisHandle | undefined;
let stopping: Promise<never> | undefined;

function parseArgs(argv: string[]): { only?: Set<string>; raw: boolean; production: boolean } {
  const out: { only?: Set<string>; raw: boolean; production: boolean } = { raw: false, production: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') continue;
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--raw') out.raw = true;
    else if (arg === '--production') out.production = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (!value) fail(`--only needs a list of services\n\n${USAGE}`, 2);
      const known = new Set(PROCESSES.map((d) => d.service));
      out.only ??= new Set();
      for (const name of value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        if (!known.has(name)) fail(`--only: unknown service "${name}" (one of ${[...known].join(', ')})`, 2);
        out.only.add(name);
      }
    } else fail(`unknown argument "${arg}"\n\n${USAGE}`, 2);
  }
  return out;
}

function fail(message: string, code = 1): never {
  process.stderr.write(`${prefix('anju')}${p.red('✗')} ${message.split('\n').join(`\n${prefix('anju')}`)}\n`);
  process.exit(code);
}

async function preparePostgres(databaseUrl: string, embeddedPort: number): Promise<string> {
  const probe = await probePostgres(databaseUrl);
  const shown = redactUrl(databaseUrl);
  if (probe.state === 'up') {
    say(`PostgreSQL answers at ${shown}`);
    return databaseUrl;
  }
  if (probe.state === 'refusing') {
    throw new Error(
      `PostgreSQL at ${shown} refused the connection: ${probe.detail}\nFix ` +
        `DATABASE_URL (user, password) or the server's access rules, then run again.`,
    );
  }
  if (!isLocalHost(databaseUrl)) {
    throw new Error(
      `PostgreSQL ` +
        `at ${shown} ` +
        `is not reachable (${probe.state === 'silent' ? probe.detail : 'connection refused'}).\nAn embedded ` +
        `PostgreSQL only replaces a local one: start that server, or point DATABASE_URL at a reachable one.`,
    );
  }
  const wanted = Number(new URL(databaseUrl).port || 5432);
  let port = wanted;
  if (probe.state === 'silent') {
    if (wanted === embeddedPort)
      throw new Error(
        `port ${wanted} of DATABASE_URL is taken by something that is not answering as PostgreSQL (${probe.detail})`,
      );
    say(
      `port ${wanted} is taken by something that does not answer as PostgreSQL ` +
        `(${probe.detail}); the embedded PostgreSQL takes port ${embeddedPort}`,
    );
    port = embeddedPort;
  }
  const u = new URL(databaseUrl);
  const user = decodeURIComponent(u.username) || 'postgres';
  const password = decodeURIComponent(u.password) || 'postgres';
  say(
    `no PostgreSQL at ${shown}: starting an embedded one on ` +
      `port ${port} (data in ${path.relative(REPO_ROOT, EMBEDDED_DATA_DIR)})`,
  );
  embedded = await startEmbeddedPostgres({
    dataDir: EMBEDDED_DATA_DIR,
    port,
    user,
    password,
    onLog: (line) => process.stdout.write(`${prefix('postgres')}${p.dim(line)}\n`),
  });
  const url = withPort(databaseUrl, port, password);
  say(`embedded PostgreSQL ready at ${redactUrl(url)}`);
  return url;
}

/**
 * Redis at REDIS_URL, or — when nothing answers there and the URL is local — one started here (the
 * machine's redis-server, else the redis-memory-server package's), stopped with the rest.
 */
async function prepareRedis(redisUrl: string, embeddedPort: number, dataDir: string): Promise<string> {
  const probe = await probeRedis(redisUrl);
  const shown = redactUrl(redisUrl);
  if (probe.state === 'up') {
    say(`Redis answers at ${shown}`);
    return redisUrl;
  }
  if (!isLocalHost(redisUrl)) {
    throw new Error(
      `Redis is not reachable at ${shown} (${probe.state === 'other' ? probe.detail : 'connection refused'}). ` +
        `The queues need it: start it, or point REDIS_URL at a running Redis 7.`,
    );
  }
  const u = new URL(redisUrl);
  let port = Number(u.port || 6379);
  if (probe.state === 'other') {
    if (port === embeddedPort)
      throw new Error(
        `port ${port} of REDIS_URL is taken by something that does not answer as Redis (${probe.detail})`,
      );
    say(
      `port ${port} is taken by something that does not answer as Redis ` +
        `(${probe.detail}); the local Redis takes port ${embeddedPort}`,
    );
    port = embeddedPort;
  }
  say(
    `no Redis at ${shown}: starting one on port ${port} ` +
      `(working directory ${path.relative(REPO_ROOT, dataDir)}, ` +
      `nothing kept on disk)`,
  );
  localRedis = await startLocalRedis({
    port,
    dataDir,
    onLog: (line) => process.stdout.write(`${prefix('redis')}${p.dim(line)}\n`),
  });
  u.port = String(port);
  const url = u.toString();
  say(
    `Redis (${localRedis.source === 'path' ? 'redis-server from PATH' : 'the redis-memory-server package'}) ` +
      `ready at ${redactUrl(url)}`,
  );
  return url;
}

const TSX_CLI = require.resolve('tsx/cli', { paths: [REPO_ROOT] });

/**
 * The V8 heap a process gets, as compose and Kubernetes give it (the contract's NODE_OPTIONS_BY_PROCESS); flags in
 * the caller's NODE_OPTIONS come after, so they win. Not the apis: here they run imports themselves (IMPORTS_IN_API),
 * which compose and Kubernetes give a process of their own with a larger heap.
 */
function heapOf(def: ProcessDefinition): string {
  if (def.kind === 'worker') return workerNodeOptions(def.service);
  return def.kind === 'gateway' ? NODE_OPTIONS_BY_PROCESS.gateway : '';
}

function startProcess(
  def: ProcessDefinition,
  port: number,
  env: NodeJS.ProcessEnv,
  raw: boolean,
  production: boolean,
): Running {
  const command = production
    ? ['--enable-source-maps', path.join(DIST, def.entry.replace(/\.ts$/, '.js'))]
    : [TSX_CLI, def.entry];
  const child = spawn(process.execPath, command, {
    cwd: REPO_ROOT,
    env: { ...env, NODE_OPTIONS: [heapOf(def), env.NODE_OPTIONS].filter(Boolean).join(' ') },
    // Its own process group: a Ctrl-C in the terminal reaches only `pnpm start`, which then sends
    // one SIGTERM (a second signal makes a service exit at once, without draining).
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tag = prefix(def.name);
  const print = (line: string) => {
    const text = raw ? line : formatLogLine(line, p);
    process.stdout.write(`${tag}${text.split('\n').join(`\n${tag}`)}\n`);
  };
  lines(child.stdout!, print);
  lines(child.stderr!, print);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (err) => {
      print(`could not start: ${err.message}`);
      resolve({ code: -1, signal: null });
    });
  });
  const r: Running = { def, port, child, exited };
  void exited.then(({ code, signal }) => {
    if (stopping) {
      say(`${def.name} exited (${signal ?? `code ${code}`})`);
      return;
    }
    void shutdown(`${def.name} exited (${signal ?? `code ${code}`}) — stopping everything`, 1);
  });
  return r;
}

async function waitReady(r: Running, deadline: number): Promise<void> {
  const url = `http://127.0.0.1:${r.port}/ready`;
  const started = Date.now();
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (stopping) return new Promise(() => undefined);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      const body = await res.text();
      if (res.ok) {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        say(`${p.green('✓')} ${r.def.name} ready on :${r.port} ${p.dim(`(${seconds} s)`)}`);
        return;
      }
      last = `${res.status} ${body.slice(0, 300)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((res) => setTimeout(res, 300));
  }
  throw new Error(`${r.def.name} did not answer ${url} within the START_READY_TIMEOUT_MS (last: ${last})`);
}

/** Stops everything in order: the services (SIGTERM, then SIGKILL after a deadline), then PostgreSQL. */
function shutdown(reason: string, code: number, graceMs = 15_000): Promise<never> {
  stopping ??= (async () => {
    say(code === 0 ? reason : `${p.red('✗')} ${reason}`);
    const alive = running.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
    for (const r of alive) r.child.kill('SIGTERM');
    const all = Promise.all(alive.map((r) => r.exited));
    const inTime = await Promise.race([
      all.then(() => true),
      new Promise<false>((res) => setTimeout(() => res(false), graceMs)),
    ]);
    if (!inTime) {
      const late = running.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
      say(`still running after ${graceMs / 1000} s, killed: ${late.map((r) => r.def.name).join(', ')}`);
      for (const r of late) killGroup(r.child.pid, 'SIGKILL');
      await Promise.race([all, new Promise((res) => setTimeout(res, 3_000))]);
    }
    // tsx runs each service in a child of its own: make sure none outlives its group.
    for (const r of running) killGroup(r.child.pid, 'SIGKILL');
    if (embedded) {
      say('stopping the embedded PostgreSQL');
      await embedded.stop();
    }
    if (localRedis) {
      say('stopping the Redis started here');
      await localRedis.stop();
    }
    say(code === 0 ? 'stopped' : 'stopped after a failure');
    process.exit(code);
  })();
  return stopping;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { config, portOf } = loadStartConfig();
  EMBEDDED_DATA_DIR = path.resolve(REPO_ROOT, config.START_EMBEDDED_PG_DIR);
  const selected = PROCESSES.filter((d) => !args.only || args.only.has(d.service));
  const missing = selected.filter((d) => !fs.existsSync(path.join(REPO_ROOT, d.entry)));
  if (missing.length) {
    fail(
      `cannot ` +
        `start: ${missing.map((d) => `${d.entry} (${d.name})`).join(', ')} ${missing.length > 1 ? 'do' : 'does'} ` +
        `not exist.\n` +
        `Every process in packages/devtools/src/start/processes.ts ` +
        `needs its entry point; start a subset with --only <service,...>.`,
    );
  }
  const ports = selected.map((d) => ({ def: d, port: portOf(d) }));
  const taken = (await Promise.all(ports.map(async (x) => ((await portInUse(x.port)) ? x : null)))).filter(
    (x) => x !== null,
  );
  if (taken.length) {
    fail(
      `port ${taken.map((x) => `${x.port} (${x.def.name})`).join(', ')} already in use — is another ` +
        `\`pnpm start\` running? Stop it, or set ${taken.map((x) => x.def.portSetting).join(', ')}.`,
    );
  }

  // The same signal often arrives twice (from the terminal to the whole group, and relayed by
  // pnpm or tsx): only a Ctrl-C pressed again, a second later, kills the services at once.
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!stopping) {
      firstSignalAt = Date.now();
      void shutdown(
        `${signal} received: stopping${signal === 'SIGINT' ? ' (Ctrl-C again to kill)' : ''}`,
        0,
        config.SHUTDOWN_GRACE_MS + 5_000,
      );
    } else if (signal === 'SIGINT' && Date.now() - firstSignalAt > 1_000) forceStop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Last resort, if this process dies of an uncaught error: leave nothing behind.
  process.on('exit', () => {
    for (const r of running) killGroup(r.child.pid, 'SIGKILL');
    embedded?.stopNow();
    localRedis?.stopNow();
  });

  const databaseUrl = await preparePostgres(config.DATABASE_URL, config.START_EMBEDDED_PG_PORT);
  const created = await ensureDatabase(databaseUrl).catch((err: Error & { code?: string }) => {
    const hint =
      embedded && err.code === '28P01'
        ? `\nThe embedded cluster in ${path.relative(REPO_ROOT, EMBEDDED_DATA_DIR)} was initialised ` +
          `with another password: use that one in DATABASE_URL, or delete the folder to start afresh.`
        : '';
    throw new Error(`cannot check or create database ${databaseName(databaseUrl)}: ${err.message}${hint}`);
  });
  if (created === 'created') say(`created database ${databaseName(databaseUrl)}`);
  const redisUrl = await prepareRedis(
    config.REDIS_URL,
    config.START_EMBEDDED_REDIS_PORT,
    path.resolve(REPO_ROOT, config.START_EMBEDDED_REDIS_DIR),
  );

  // Children get our environment plus what we decided: the database actually used, every port of
  // the table, and the subgraph URLs the gateway must call.
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl };
  for (const { def, port } of PROCESSES.map((d) => ({ def: d, port: portOf(d) }))) {
    env[def.portSetting] = String(port);
    if (def.gatewayUrlSetting) env[def.gatewayUrlSetting] = `http://localhost:${port}/graphql`;
  }
  if (args.production) {
    const built = await build();
    say(`compiled ${built.files} files into dist/ in ${built.ms} ms: the processes run with node`);
  } else if (selected.some((d) => d.kind === 'gateway')) {
    // The gateway serves the portal from its build (about a second, no network).
    const built = await buildPortal();
    say(`portal built (${Math.round(built.bytes / 1024)} KiB, ${built.operations} operations in its safelist)`);
  }
  say(`starting ${selected.map((d) => d.name).join(', ')}`);
  // Each service migrates as the owner and runs as its own login (<schema>_app, the owner's
  // password in development); the gateway needs no database.
  const ownerPassword = decodeURIComponent(new URL(databaseUrl).password) || undefined;
  const databaseEnv = (def: ProcessDefinition) =>
    def.kind === 'gateway'
      ? {}
      : {
          DATABASE_OWNER_URL: databaseUrl,
          DATABASE_URL: serviceLoginUrl(databaseUrl, `${def.service.replace(/-/g, '_')}_app`, ownerPassword),
        };
  for (const { def, port } of ports)
    running.push(startProcess(def, port, { ...env, ...databaseEnv(def) }, args.raw, args.production));

  const deadline = Date.now() + config.START_READY_TIMEOUT_MS;
  await Promise.all(running.map((r) => waitReady(r, deadline)));
  if (config.START_DEMO_DATA && selected.some((d) => d.service === 'governance'))
    await loadDemoOnFirstRun(databaseUrl, env);
  const gateway = ports.find((x) => x.def.kind === 'gateway');
  const postgresWhere = embedded
    ? `embedded (${path.relative(REPO_ROOT, EMBEDDED_DATA_DIR)}) on port ${embedded.port}`
    : 'at ' + redactUrl(databaseUrl);
  const redisWhere = localRedis ? `started here on port ${localRedis.port}` : 'at ' + redactUrl(redisUrl);
  const summary = [
    '',
    p.bold(`Anju is running: ${running.length} processes, PostgreSQL ${postgresWhere}, Redis ${redisWhere}`),
  ];
  const row = (label: string, text: string) => `  ${label.padEnd(12)}${text}`;
  if (gateway)
    summary.push(
      row(
        'portal',
        p.bold(`http://localhost:${gateway.port}/`) + ' ' + p.dim('(门户; development sign-in: pick a role and scope)'),
      ),
    );
  if (gateway) summary.push(row('GraphQL', p.bold(`http://localhost:${gateway.port}/graphql`)));
  for (const x of ports.filter((y) => y.def.kind === 'api'))
    summary.push(row(x.def.service, `http://localhost:${x.port}/graphql ${p.dim('(subgraph, direct)')}`));
  summary.push(
    row(
      'token',
      `TOKEN=$(pnpm -s token --role province --region 53)   ${p.dim('(pnpm token --help for roles and scopes)')}`,
    ),
    ...(gateway
      ? [
          row(
            'query',
            `curl -s http://localhost:${gateway.port}/graphql -H "authorization: Bearer $TOKEN" ` +
              `-H 'content-type: application/json' -d '{"query":"{ regions { code name } }"}'`,
          ),
        ]
      : []),
    `Ctrl-C stops everything.`,
    '',
  );
  say(summary.join('\n'));
}

/**
 * First run: the services have migrated their schemas; if governance has no regions yet, the
 * demo data (one county, four sites, 600 residents) goes straight into each service's tables.
 */
async function loadDemoOnFirstRun(databaseUrl: string, env: NodeJS.ProcessEnv): Promise<void> {
  try {
    const report = await seed({ scale: 'demo', seed: 1, databaseUrl, env });
    const rows = report.rows;
    say(
      `${p.green('✓')} empty database: loaded the demo data ` +
        `in ${report.seconds.total} s (${rows['governance.site']} sites of ` +
        `镇雄县, ${rows['governance.household']} households, ${rows['governance.resident']} ` +
        `residents, ${rows['matching.demand']} demands; pnpm seed --help for more)`,
    );
  } catch (err) {
    if (err instanceof NotEmptyError) return;
    say(`${p.red('✗')} could not load the demo data: ${(err as Error).message}`);
  }
}

/** The settings, every bad one reported at once: the platform's, ours and the table's ports. */
function loadStartConfig() {
  const problems: string[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
      return undefined;
    }
  };
  const config = attempt(() => loadConfig(startSettings));
  const ports = attempt(() => loadConfig(portSettings));
  if (!config || !ports) fail(new ConfigError(problems).message, 2);
  return { config, portOf: (d: ProcessDefinition) => ports[d.portSetting] };
}

function forceStop(): void {
  say('second signal: killing the services');
  for (const r of running) killGroup(r.child.pid, 'SIGKILL');
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  void shutdown(message, 1);
});
