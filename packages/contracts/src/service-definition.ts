import {
  bootRuntime,
  type DataSourceOptions,
  type Lifecycle,
  type PlatformConfig,
  type ScheduledTask,
  type ServiceRuntime,
  type StartOptions,
} from '@anju/kit';
import type { DerivedWork } from './derived-work';
import type { EventHandler } from './handler';
import { SERVICE_DECLARATIONS, type ServiceDeclaration, type ServiceName } from './services';
import { startServiceWorker, type RunningWorker } from './service-worker';

/** What an entry point hands back: enough for a launcher or a test system to stop it and reach it. */
export interface StartedProcess {
  lifecycle: Lifecycle;
  url?: string;
  healthPort?: number;
}

/**
 * A service, declared once: its catalog entry (name, folder, schema file, ports; see services.ts)
 * and its code — config, tables and migrations, the subgraph, the handlers of the events it
 * consumes and its scheduled tasks. The package's index exports it as `service`; `pnpm start`,
 * the test harness, seed and benchmarks read it, and its worker entry point is `startWorker(service)`.
 */
export interface ServiceDefinition<C extends PlatformConfig = PlatformConfig> {
  declaration: ServiceDeclaration;
  /** Reads (and checks) its settings from `env`, else from the process's environment. */
  loadConfig(env?: Record<string, string | undefined>): C;
  /** Its PostgreSQL schema, table classes, ordered migrations and runtime role. */
  data: Omit<DataSourceOptions, 'applicationName'>;
  /** The api entry point: boots (migrating its schema), then serves the subgraph. */
  startApi(config: C, opts?: StartOptions): Promise<ServiceRuntime<C> & { url: string; port: number }>;
  /** One handler per consumed event; the worker refuses to start on a missing or a doubled one. */
  handlers: readonly EventHandler[];
  /** Its scheduled tasks (the event tables' retention is added by every worker). */
  tasks(runtime: ServiceRuntime<C>): ScheduledTask[];
  /** Work marked by handlers and done shortly after; `tables` hold what is still to do (not idle while rows wait). */
  derived?: { tables: string[]; start(runtime: ServiceRuntime<C>): DerivedWork[] };
  /** Other queues its worker shows operators beside its inbox and schedules (imports…). */
  workerQueues?: string[];
}

/**
 * Checks at load that the definition names a service of the catalog, so a typo fails at once.
 * `catalog` is the contract's; a test passes it with a toy service's declaration added.
 */
export function defineService<C extends PlatformConfig>(
  def: ServiceDefinition<C>,
  catalog: readonly ServiceDeclaration[] = SERVICE_DECLARATIONS,
): ServiceDefinition<C> {
  if (!catalog.includes(def.declaration)) {
    const { name } = def.declaration;
    throw new Error(`service "${name}": its declaration is not the catalog's (packages/contracts/src/services.ts)`);
  }
  return def;
}

/** The worker entry point of any service: boot (config, logs, migrations), then relay, inbox and schedules. */
export async function startWorker<C extends PlatformConfig>(
  def: ServiceDefinition<C>,
  config: C,
  opts: StartOptions = {},
): Promise<ServiceRuntime<C> & RunningWorker> {
  const { name, worker } = def.declaration;
  const runtime = await bootRuntime({
    name,
    process: 'worker',
    config,
    applicationName: `${name}-worker`,
    logDestination: opts.logDestination,
    clock: opts.clock,
    ...def.data,
  });
  const running = await startServiceWorker({
    service: name as ServiceName,
    runtime,
    handlers: [...def.handlers],
    tasks: def.tasks(runtime),
    derived: def.derived?.start(runtime),
    healthPort: portOf(config, worker.portSetting),
    queues: def.workerQueues,
  });
  return { ...runtime, ...running };
}

/** The port a service's config holds under `setting` (a declared port setting the service's settings must define). */
export function portOf(config: PlatformConfig, setting: string): number {
  const port = (config as unknown as Record<string, unknown>)[setting];
  if (typeof port !== 'number') {
    throw new Error(`the config has no port setting ${setting}: add it to the service's settings`);
  }
  return port;
}
