import type { PlatformConfig } from './config';
import type { DestinationStream } from './logger';
import { createRedis } from './redis';
import { bootRuntime, type ServiceRuntime } from './runtime';
import type { Clock } from './clock';
import type { DataSourceOptions } from './database';
import { startSubgraph, type RequestBase } from './subgraph-server';
import type { ExpensiveOperations } from './rate-limit';
import type { FileRoute } from './spreadsheet/file-routes';

export interface ServiceApiOptions<C extends PlatformConfig, Ctx extends RequestBase> {
  name: string;
  config: C;
  port: number;
  /** The folder of its schema files (its `src`): see service-schema.ts. */
  schemaDir: string;
  /**
   * Resolver map, typed by the service with its generated `Resolvers` (pnpm codegen); federation's own type is looser.
   */
  resolvers: object;
  data: Omit<DataSourceOptions, 'applicationName'>;
  /** Builds the per-request context from the booted runtime. */
  context: (runtime: ServiceRuntime<C>) => (base: RequestBase) => Ctx;
  logDestination?: DestinationStream;
  /** Operations limited to some roles and rate limited apart (batch runs, exports). */
  expensive?: ExpensiveOperations;
  /** Files over HTTP (exports, imports), built from the booted runtime. */
  fileRoutes?: (runtime: ServiceRuntime<C>) => readonly FileRoute[];
  /** The process's clock when the caller has one already (a test system's); else made from config. */
  clock?: Clock;
}

/** The `api` entry point of every service: boot (config, logs, migrations), then the subgraph. */
export async function startServiceApi<C extends PlatformConfig, Ctx extends RequestBase>(
  opts: ServiceApiOptions<C, Ctx>,
) {
  const { config, name } = opts;
  const runtime = await bootRuntime({
    name,
    process: 'api',
    config,
    applicationName: `${name}-api`,
    logDestination: opts.logDestination,
    clock: opts.clock,
    ...opts.data,
  });
  // Only for /ready: the API itself never waits on Redis (events leave through the outbox).
  const redis = createRedis(config, 'producer', `${name}-api`);
  runtime.lifecycle.onStop(`${name} api redis`, async () => redis.disconnect());
  const http = await startSubgraph({
    name,
    schemaDir: opts.schemaDir,
    resolvers: opts.resolvers,
    expensive: opts.expensive,
    fileRoutes: opts.fileRoutes?.(runtime),
    hasAuditRow: async (requestId) =>
      (await runtime.db.query(`SELECT 1 FROM audit_log WHERE request_id = $1 LIMIT 1`, [requestId])).length > 0,
    buildContext: opts.context(runtime),
    config,
    clock: runtime.clock,
    port: opts.port,
    logger: runtime.logger,
    lifecycle: runtime.lifecycle,
    metrics: runtime.metrics,
    readiness: [
      { name: 'postgres', check: () => runtime.db.query('SELECT 1') },
      { name: 'redis', check: () => redis.ping() },
    ],
  });
  return { ...runtime, ...http };
}
