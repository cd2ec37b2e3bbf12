import type { DataSource } from 'typeorm';
import type { DestinationStream } from 'pino';
import { assertProductionSafe, type PlatformConfig } from './config';
import { createLogger, type Logger } from './logger';
import { Lifecycle } from './lifecycle';
import { createDataSource, migrate, type DataSourceOptions } from './database';

/** What both entry points of a service (api and worker) start from. */
export interface ServiceRuntime<C extends PlatformConfig = PlatformConfig> {
  name: string;
  /** The PostgreSQL schema holding this service's tables. */
  schema: string;
  config: C;
  logger: Logger;
  lifecycle: Lifecycle;
  db: DataSource;
}

export interface BootOptions<C extends PlatformConfig> extends DataSourceOptions {
  name: string;
  process: 'api' | 'worker';
  config: C;
  logDestination?: DestinationStream;
}

/** Logger, lifecycle, data source and migrations (under the advisory lock), in that order. */
export async function bootRuntime<C extends PlatformConfig>(opts: BootOptions<C>): Promise<ServiceRuntime<C>> {
  assertProductionSafe(opts.config);
  const logger = createLogger({ service: `${opts.name}-${opts.process}`, level: opts.config.LOG_LEVEL, destination: opts.logDestination });
  const lifecycle = new Lifecycle(logger, opts.config.SHUTDOWN_GRACE_MS);
  // Migrations run as the login user (the owner); the service then acts as its runtime role.
  const owner = createDataSource({ ...opts.config, DATABASE_POOL_SIZE: 2 }, { ...opts, runtimeRole: undefined, applicationName: `${opts.applicationName}-migrate` });
  await owner.initialize();
  try {
    await migrate(owner, opts.schema, logger);
  } finally {
    await owner.destroy();
  }
  const statementTimeoutMs = opts.process === 'api' ? opts.config.DATABASE_STATEMENT_TIMEOUT_MS : opts.config.WORKER_STATEMENT_TIMEOUT_MS;
  const db = createDataSource(opts.config, { ...opts, statementTimeoutMs });
  await db.initialize();
  lifecycle.onStop(`${opts.name} database pool`, () => db.destroy());
  return { name: opts.name, schema: opts.schema, config: opts.config, logger, lifecycle, db };
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
