import type { DataSource } from 'typeorm';
import type { DestinationStream } from 'pino';
import { ConfigError, assertProductionSafe, type PlatformConfig } from './config';
import { createLogger, type Logger } from './logger';
import { Lifecycle } from './lifecycle';
import { clockFromConfig, type Clock } from './clock';
import { createDataSource, loginCanOwn, migrate, type DataSourceOptions } from './database';
import { ProcessMetrics } from './metrics';
import { startTracing } from './tracing';

/** What both entry points of a service (api and worker) start from. */
export interface ServiceRuntime<C extends PlatformConfig = PlatformConfig> {
  name: string;
  /** The PostgreSQL schema holding this service's tables. */
  schema: string;
  config: C;
  logger: Logger;
  lifecycle: Lifecycle;
  db: DataSource;
  /** "Now" for the domain (see clock.ts). */
  clock: Clock;
  /** This process's Prometheus metrics, served at /metrics (see metrics.ts). */
  metrics: ProcessMetrics;
}

export interface BootOptions<C extends PlatformConfig> extends DataSourceOptions {
  name: string;
  process: 'api' | 'worker';
  config: C;
  logDestination?: DestinationStream;
  /** The process's clock when the caller already has one (a test system's); else made from config. */
  clock?: Clock;
}

/** What a test system or a launcher hands a service's entry points besides its config. */
export interface StartOptions {
  logDestination?: DestinationStream;
  /** The process's clock when the caller has one already; else it is made from config. */
  clock?: Clock;
}

/** Logger, lifecycle, data source and migrations (under the advisory lock), in that order. */
export async function bootRuntime<C extends PlatformConfig>(opts: BootOptions<C>): Promise<ServiceRuntime<C>> {
  assertProductionSafe(opts.config);
  const logger = createLogger({
    service: `${opts.name}-${opts.process}`,
    level: opts.config.LOG_LEVEL,
    destination: opts.logDestination,
  });
  const lifecycle = new Lifecycle(logger, opts.config.SHUTDOWN_GRACE_MS);
  // First registered, so its flush is the last step of a stop: the spans of the drain go out too.
  startTracing(opts.config, `${opts.name}-${opts.process}`, lifecycle);
  const { config } = opts;
  const production = config.NODE_ENV === 'production';
  // Migrations run as the owner: DATABASE_OWNER_URL when the process is given it (the service then
  // logs in with its own DATABASE_URL), else — outside production only — the one DATABASE_URL.
  if (config.DATABASE_OWNER_URL || !production) {
    const ownerUrl = config.DATABASE_OWNER_URL ?? config.DATABASE_URL;
    const runtimeUrl = new URL(config.DATABASE_URL);
    const login =
      config.DATABASE_OWNER_URL && opts.runtimeRole && decodeURIComponent(runtimeUrl.username) === opts.runtimeRole
        ? { role: opts.runtimeRole, password: decodeURIComponent(runtimeUrl.password) || undefined }
        : undefined;
    const owner = createDataSource(
      { ...config, DATABASE_URL: ownerUrl, DATABASE_POOL_SIZE: 2 },
      { ...opts, runtimeRole: undefined, applicationName: `${opts.applicationName}-migrate` },
    );
    await owner.initialize();
    try {
      await migrate(owner, opts.schema, logger, login);
    } finally {
      await owner.destroy();
    }
  }
  const statementTimeoutMs =
    opts.process === 'api' ? opts.config.DATABASE_STATEMENT_TIMEOUT_MS : opts.config.WORKER_STATEMENT_TIMEOUT_MS;
  const db = createDataSource(opts.config, { ...opts, statementTimeoutMs });
  await db.initialize();
  lifecycle.onStop(`${opts.name} database pool`, () => db.destroy());
  if (production) {
    const problems: string[] = [];
    if (await loginCanOwn(db, opts.schema))
      problems.push(
        `DATABASE_URL: ${opts.name} must log in as its own login (${opts.runtimeRole ?? 'its runtime role'})` +
          `, not as the owner of ${opts.schema} or a superuser; migrations take DATABASE_OWNER_URL`,
      );
    else if (!config.DATABASE_OWNER_URL && (await db.showMigrations()))
      problems.push(`DATABASE_OWNER_URL: ${opts.schema} has pending migrations and this process may not run them`);
    if (problems.length) {
      await db.destroy();
      throw new ConfigError(problems);
    }
  }
  const metrics = new ProcessMetrics({ service: opts.name, process: opts.process }, config.METRICS_CACHE_MS);
  metrics.watchPool(db, config.DATABASE_POOL_SIZE);
  metrics.watchEventTables(db);
  return {
    name: opts.name,
    schema: opts.schema,
    config: opts.config,
    logger,
    lifecycle,
    db,
    clock: opts.clock ?? clockFromConfig(opts.config),
    metrics,
  };
}

/** Runs an entry point as a process: config errors and boot failures exit non-zero with the reason. */
export function runMain(main: () => Promise<{ lifecycle: Lifecycle }>): void {
  main()
    .then(({ lifecycle }) => lifecycle.installSignalHandlers())
    .catch((err: unknown) => {
      // eslint-disable-next-line no-console
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
