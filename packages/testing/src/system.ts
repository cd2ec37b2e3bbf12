import path from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import {
  declarationOf,
  inboxQueueName,
  pgSchemaOf,
  SERVICE_DECLARATIONS,
  SERVICES,
  startWorker,
  type ServiceDefinition,
  type ServiceName,
} from '@anju/contracts';
import {
  advisoryKey,
  loadConfig,
  platformSettings,
  serviceLoginUrl,
  SetClock,
  type Lifecycle,
  type PlatformConfig,
  type ServiceRuntime,
} from '@anju/kit';
import {
  admin,
  createTestDatabase,
  TEST_PG_SERVER,
  TEST_REDIS_URL,
  TEST_RUN,
  testQueuePrefix,
  withClient,
  type TestDatabase,
} from './database';
import { LogCapture } from './log-capture';
import { REPO_ROOT } from './paths';
import { liveProcessesOn } from './processes';
import { gql } from './graphql-client';

export { REPO_ROOT };

/** A service's PostgreSQL schema (`social-orgs` → `social_orgs`), from the catalog of services. */
export const schemaOf = (s: ServiceName) => pgSchemaOf(s);

/**
 * The definition a service's package exports as `service`, loaded from the folder the catalog
 * declares for it: the testing package must not depend on the services it starts (they use it in
 * their own tests), so it reads the one declared entry rather than importing their packages.
 */
export function definitionOf(service: ServiceName): ServiceDefinition<PlatformConfig> {
  const { dir } = declarationOf(service);
  const def = (require(path.join(REPO_ROOT, dir)) as { service?: ServiceDefinition<PlatformConfig> }).service;
  if (def?.declaration.name !== service)
    throw new Error(`${dir} does not export the definition of ${service} as \`service\``);
  return def;
}

interface Started {
  lifecycle: Lifecycle;
  url?: string;
  healthPort?: number;
  metricsPort?: number;
}

/**
 * The instant a test system's clock holds still at: CLOCK_AT when the run sets it (CI reruns the
 * date-sensitive files at month, year and leap-day turns), else the moment the system starts.
 */
export function testClockStart(): Date {
  const { CLOCK_AT } = loadConfig({ CLOCK_AT: platformSettings.CLOCK_AT });
  return CLOCK_AT ? new Date(CLOCK_AT) : new Date();
}

/** Settings that make the pipeline quick to observe in tests without changing its logic. */
export function testEnv(
  db: TestDatabase,
  queuePrefix: string,
  extra: Record<string, string> = {},
  clockAt: Date = testClockStart(),
): Record<string, string> {
  return {
    NODE_ENV: 'test',
    // Domain time is the test's fixed clock, and no job scheduler fires on the wall clock behind a test's back:
    // tests run tasks themselves with their clock; a test about the scheduler sets SCHEDULES_ENABLED=true.
    CLOCK_AT: clockAt.toISOString(),
    CLOCK_RUNS: 'false',
    SCHEDULES_ENABLED: 'false',
    LOG_LEVEL: 'debug',
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '3',
    QUEUE_PREFIX: queuePrefix,
    OUTBOX_POLL_MS: '50',
    OUTBOX_RECONCILE_MS: '300',
    JOB_BACKOFF_MS: '50',
    JOB_ATTEMPTS: '3',
    // A step that hangs is reported (stop throws); one that is only slow, as when a full run keeps both cores busy
    // and a worker finishes its job before closing, is not: 5 s failed two stops of a run at load 17.
    SHUTDOWN_GRACE_MS: '20000',
    // Every port a free one: the api and worker ports of each service of the catalog, and the gateway's.
    ...Object.fromEntries(
      SERVICE_DECLARATIONS.flatMap((d) => [
        [d.api.portSetting, '0'],
        [d.worker.portSetting, '0'],
      ]),
    ),
    GATEWAY_PORT: '0',
    GATEWAY_METRICS_PORT: '0',
    ...extra,
  };
}

export interface SystemOptions {
  /** Subgraphs to serve (default: all four). */
  apis?: ServiceName[];
  /** Services whose worker runs in-process (default: all four). */
  workers?: ServiceName[];
  gateway?: boolean;
  env?: Record<string, string>;
  /** The instant the system's clock holds still at (default: CLOCK_AT of the run, else now). */
  clock?: Date | string;
  /** Echo service logs to stderr (debugging). */
  echoLogs?: boolean;
  label?: string;
  /**
   * A PostgreSQL server of the test's own (`postgres://postgres@127.0.0.1:<port>`, trusted) to
   * stop and start; the database is made there, empty, and each service migrates it as it boots.
   */
  server?: string;
  /**
   * Services outside the catalog that this system can start by name (`startApi`, `startWorker`):
   * a test's toy service, defined in a folder of its own.
   */
  services?: ServiceDefinition<PlatformConfig>[];
}

/**
 * A whole Anju system inside the test process, isolated: its own database, its own queue
 * prefix, random ports. The real kit, subgraphs, workers and gateway; nothing mocked.
 */
export class TestSystem {
  readonly logs: LogCapture;
  readonly urls: Partial<Record<ServiceName | 'gateway', string>> = {};
  /** `/metrics` of each running process: `governance-api`, `governance-worker`, …, `gateway`. */
  readonly metricsUrls: Record<string, string> = {};
  /** `/ready` of each running worker (its own health port). */
  readonly workerReady: Partial<Record<ServiceName, string>> = {};
  private readonly running: { name: string; lifecycle: Lifecycle }[] = [];
  /** Services with a process started (their schemas exist). */
  readonly services = new Set<ServiceName>();
  /** Services whose worker runs here: only their queues are expected to drain. */
  readonly consuming = new Set<ServiceName>();
  private redis?: IORedis;
  /** The runtime (database, clock, config) of each worker running here, to run its tasks with. */
  private readonly workerRuntimes = new Map<ServiceName, ServiceRuntime>();
  /** Definitions of services outside the catalog, by name (see SystemOptions.services). */
  private readonly definitions = new Map<string, ServiceDefinition<PlatformConfig>>();
  /**
   * The clock every in-process service of this system reads "now" from: fixed, so expectations are
   * computed for the same day and month the services see; `set`/`advance` move it for all of them.
   */
  readonly clock: SetClock;

  private constructor(
    readonly db: TestDatabase,
    readonly queuePrefix: string,
    readonly env: Record<string, string>,
    echo: boolean,
  ) {
    this.logs = new LogCapture(echo, `the services of ${db.name}`);
    this.clock = new SetClock(new Date(env.CLOCK_AT));
  }

  static async start(opts: SystemOptions = {}): Promise<TestSystem> {
    const apis = opts.apis ?? SERVICES;
    const workers = opts.workers ?? SERVICES;
    // A copy of a database already migrated for these services: boots find nothing to migrate.
    const db = opts.server
      ? await createTestDatabase(opts.label ?? 'sys', undefined, opts.server)
      : await createTestDatabase(opts.label ?? 'sys', await migratedTemplate([...apis, ...workers]));
    const prefix = testQueuePrefix();
    const clockAt = opts.clock ? new Date(opts.clock) : testClockStart();
    const sys = new TestSystem(db, prefix, testEnv(db, prefix, opts.env, clockAt), opts.echoLogs ?? false);
    for (const def of opts.services ?? []) sys.definitions.set(def.declaration.name, def);
    try {
      for (const s of apis) await sys.startApi(s);
      for (const s of workers) await sys.startWorker(s);
      if (opts.gateway ?? true) await sys.startGateway();
    } catch (err) {
      await sys.stop().catch(() => undefined); // the boot failure is the news
      throw err;
    }
    return sys;
  }

  /** A system on `db` that keeps it when stopped (to build a template). */
  static onDatabase(db: TestDatabase): TestSystem {
    const prefix = testQueuePrefix();
    return new TestSystem(db, prefix, testEnv(db, prefix), false);
  }

  /** The definition of `service`: one handed to this system, else the catalog's. */
  private definition(service: ServiceName): ServiceDefinition<PlatformConfig> {
    return this.definitions.get(service) ?? definitionOf(service);
  }

  /** A service migrates as the owner (the test database's user) and runs as its own login. */
  private config(def: ServiceDefinition<PlatformConfig>) {
    const login = {
      DATABASE_OWNER_URL: this.db.url,
      DATABASE_URL: serviceLoginUrl(this.db.url, def.data.runtimeRole!),
    };
    return def.loadConfig({ ...this.env, ...login });
  }

  async startApi(service: ServiceName): Promise<string> {
    const def = this.definition(service);
    const started = await def.startApi(this.config(def), { logDestination: this.logs, clock: this.clock });
    this.running.push({ name: `${service}-api`, lifecycle: started.lifecycle });
    this.services.add(service);
    this.urls[service] = started.url;
    this.metricsUrls[`${service}-api`] = started.url.replace(/\/graphql$/, '/metrics');
    this.env[def.declaration.api.urlSetting] = started.url;
    return started.url;
  }

  async startWorker(service: ServiceName): Promise<void> {
    const def = this.definition(service);
    const started = await startWorker(def, this.config(def), { logDestination: this.logs, clock: this.clock });
    this.running.push({ name: `${service}-worker`, lifecycle: started.lifecycle });
    this.workerRuntimes.set(service, started);
    this.workerReady[service] = `http://127.0.0.1:${started.healthPort}/ready`;
    this.metricsUrls[`${service}-worker`] = `http://127.0.0.1:${started.healthPort}/metrics`;
    this.services.add(service);
    this.consuming.add(service);
  }

  /**
   * Runs one scheduled task of `service` now, as its worker's scheduler would (the worker's database
   * login, the system's clock): tests run tasks themselves, schedules being off (SCHEDULES_ENABLED).
   */
  async runTask(service: ServiceName, task: string): Promise<unknown> {
    const runtime = this.workerRuntimes.get(service);
    if (!runtime) throw new Error(`${service}'s worker is not running here: its tasks run with the worker's runtime`);
    const found = this.definition(service)
      .tasks(runtime)
      .find((t) => t.name === task);
    if (!found) throw new Error(`${service} has no scheduled task "${task}"`);
    return found.run();
  }

  /** The PostgreSQL schema of a service this system runs. */
  private schema(service: ServiceName): string {
    return this.definition(service).declaration.pgSchema;
  }

  /** Stops one in-process component (e.g. `employment-worker`) as a deploy would. */
  async stopComponent(name: string): Promise<void> {
    const i = this.running.findIndex((r) => r.name === name);
    if (i < 0) throw new Error(`${name} is not running`);
    const [r] = this.running.splice(i, 1);
    if (name.endsWith('-worker')) {
      const service = name.slice(0, -'-worker'.length) as ServiceName;
      this.consuming.delete(service);
      this.workerRuntimes.delete(service);
    }
    await r.lifecycle.stop('test');
  }

  async startGateway(): Promise<string> {
    const gw = require(path.join(REPO_ROOT, 'gateway', 'src', 'server')) as Record<
      string,
      (...a: unknown[]) => Promise<Started>
    >;
    const cfg = require(path.join(REPO_ROOT, 'gateway', 'src', 'config')) as Record<string, (env: unknown) => unknown>;
    const started = await gw.startGateway(cfg.loadGatewayConfig(this.env), { logDestination: this.logs });
    this.running.push({ name: 'gateway', lifecycle: started.lifecycle });
    this.urls.gateway = started.url!;
    this.metricsUrls.gateway = `http://127.0.0.1:${started.metricsPort}/metrics`;
    return started.url!;
  }

  /** An operation through the gateway, as a portal sends it. */
  query<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
    requestId?: string,
  ) {
    return gql<T>(this.urls.gateway!, query, variables, { token, requestId });
  }

  /** An operation straight to one subgraph (as a partner NGO, or an attacker skipping the gateway). */
  direct<T = Record<string, any>>(
    service: ServiceName,
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
    requestId?: string,
  ) {
    return gql<T>(this.urls[service]!, query, variables, { token, requestId });
  }

  sql<T = any>(text: string, params: unknown[] = []): Promise<T[]> {
    return withClient(this.db.url, async (c) => (await c.query(text, params)).rows as T[]);
  }

  /** The audit trail of one record in `service`'s audit log, oldest first: what was done, by which role. */
  audits(service: ServiceName, entityId: string): Promise<{ action: string; role: string }[]> {
    return this.sql(
      `SELECT action, actor_role AS role FROM ${this.schema(service)}.audit_log WHERE entity_id = $1 ORDER BY id`,
      [entityId],
    );
  }

  queue(service: ServiceName): Queue {
    this.redis ??= new IORedis(this.env.REDIS_URL ?? TEST_REDIS_URL, { maxRetriesPerRequest: null });
    return new Queue(inboxQueueName(service), { connection: this.redis, prefix: this.queuePrefix });
  }

  /**
   * The id of the job (one per consumer) the relay sent an event in: its batch's, once the event is
   * marked sent (a digest of the batch's event ids, not known before).
   */
  async jobOf(producer: ServiceName, eventId: string): Promise<string | undefined> {
    const [row] = await this.sql(
      `SELECT batch_id FROM ${this.schema(producer)}.outbox WHERE id = $1 AND sent_at IS NOT NULL`,
      [eventId],
    );
    return row?.batch_id ?? undefined;
  }

  /**
   * Waits until every event has left every outbox and the queue of every running worker is
   * empty, twice in a row (a handler may publish the next event). Polls; never sleeps a fixed time.
   */
  async waitForIdle(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quietChecks = 0;
    const queues = [...this.consuming].map((s) => this.queue(s));
    try {
      while (Date.now() < deadline) {
        const pending = [
          ...[...this.services].map((sv) => `(SELECT count(*) FROM ${this.schema(sv)}.outbox WHERE sent_at IS NULL)`),
          ...[...this.consuming].flatMap((sv) =>
            (this.definition(sv).derived?.tables ?? []).map(
              (table) => `(SELECT count(*) FROM ${this.schema(sv)}.${table})`,
            ),
          ),
        ];
        const [{ n: unsent }] = await this.sql<{ n: number }>(`SELECT ${pending.join(' + ') || '0'} AS n`);
        const counts = await Promise.all(
          queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')),
        );
        const busy = Number(unsent) + counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
        quietChecks = busy === 0 ? quietChecks + 1 : 0;
        if (quietChecks >= 2) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('queues did not drain in time');
    } finally {
      await Promise.all(queues.map((q) => q.close()));
    }
  }

  /**
   * Stops every component, removes the queue prefix's keys and drops the database — all of it
   * even when a part fails — then throws if anything did not stop cleanly.
   */
  async stop(opts: { keepDatabase?: boolean } = {}): Promise<void> {
    const failures: string[] = [];
    const attempt = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (err) {
        failures.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    for (const p of liveProcessesOn(this.db.url)) {
      failures.push(`${p.name} was still running (killed now)`);
      await p.kill('SIGKILL');
    }
    for (const r of this.running.reverse()) {
      await attempt(r.name, () => r.lifecycle.stop('test finished'));
      for (const f of r.lifecycle.failures) failures.push(`${r.name}: ${f.step}: ${f.error}`);
    }
    this.running.length = 0;
    await attempt(`redis keys ${this.queuePrefix}:*`, async () => {
      this.redis ??= new IORedis(this.env.REDIS_URL ?? TEST_REDIS_URL, { maxRetriesPerRequest: null });
      try {
        await deleteKeys(this.redis, `${this.queuePrefix}:*`);
      } finally {
        this.redis.disconnect();
        this.redis = undefined;
      }
    });
    if (!opts.keepDatabase) await attempt(`database ${this.db.name}`, () => this.db.drop());
    if (failures.length) throw new Error(`the test system did not stop cleanly:\n  ${failures.join('\n  ')}`);
  }
}

/**
 * Removes the keys of queue prefix `prefix` from the test Redis: for a file that starts services
 * outside a TestSystem (whose stop does this), as BullMQ leaves a queue's `meta` key behind.
 */
export async function deleteQueuePrefix(prefix: string, url = TEST_REDIS_URL): Promise<number> {
  const redis = new IORedis(url, { maxRetriesPerRequest: null });
  try {
    return await deleteKeys(redis, `${prefix}:*`);
  } finally {
    redis.disconnect();
  }
}

/** Deletes the keys matching `pattern` (SCAN, never KEYS: the shared Redis may hold many). */
export async function deleteKeys(redis: IORedis, pattern: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

const templates = new Map<string, Promise<string>>();

/**
 * The name of a database with the migrations of `services` applied, built once per test run for
 * each set of services (the first worker to ask builds it under an advisory lock, the others
 * wait) and copied by `CREATE DATABASE … TEMPLATE` for each test file.
 */
export function migratedTemplate(services: readonly ServiceName[]): Promise<string> {
  const set = SERVICES.filter((s) => services.includes(s));
  const key = set.join(',');
  let name = templates.get(key);
  if (!name) {
    name = buildTemplate(set);
    templates.set(key, name);
    name.catch(() => templates.delete(key));
  }
  return name;
}

async function buildTemplate(set: ServiceName[]): Promise<string> {
  const code = set.map((s) => SERVICES.indexOf(s)).join('');
  const name = `anju_tpl${code}_${TEST_RUN}_${'0'.repeat(8)}`;
  const building = `anju_tplbuild${code}_${TEST_RUN}_${'0'.repeat(8)}`;
  return admin(async (c) => {
    await c.query('SELECT pg_advisory_lock($1)', [advisoryKey(name)]);
    try {
      const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount) return name;
      await c.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${building}`);
      const db: TestDatabase = { name: building, url: `${TEST_PG_SERVER}/${building}`, drop: async () => undefined };
      const sys = TestSystem.onDatabase(db);
      try {
        for (const s of set) await sys.startApi(s); // each api migrates its schema as it boots
      } finally {
        await sys.stop({ keepDatabase: true });
      }
      await c.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      return name;
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [advisoryKey(name)]);
    }
  });
}
