import path from 'node:path';
import { setting } from '@anju/kit';
import { SERVICE_DECLARATIONS } from '@anju/contracts';

/** The repository root (this file is packages/devtools/src/start/processes.ts). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export interface ProcessDefinition {
  /** Short name shown in front of every output line. */
  name: string;
  /** The service the process belongs to (`gateway` for the gateway). */
  service: string;
  kind: 'api' | 'worker' | 'gateway';
  /** The entry point, relative to the repository root, run with tsx. */
  entry: string;
  /** The setting (environment variable) that holds the port answering /ready. */
  portSetting: string;
  defaultPort: number;
  /** For an api: the gateway's setting that holds this subgraph's URL. */
  gatewayUrlSetting?: string;
}

/**
 * Every process of the platform, in start order: the one table `pnpm start` runs from, read from
 * the contract's catalog of services (a new service adds its entry there, nothing here). The apis
 * first, then the workers; the gateway comes last because it needs the subgraphs to answer.
 */
export const PROCESSES: readonly ProcessDefinition[] = [
  ...SERVICE_DECLARATIONS.map(({ name, tag, api }): ProcessDefinition => ({
    name: `${tag}-api`,
    service: name,
    kind: 'api',
    entry: api.entry,
    portSetting: api.portSetting,
    defaultPort: api.defaultPort,
    gatewayUrlSetting: api.urlSetting,
  })),
  ...SERVICE_DECLARATIONS.map(({ name, tag, worker }): ProcessDefinition => ({
    name: `${tag}-worker`,
    service: name,
    kind: 'worker',
    entry: worker.entry,
    portSetting: worker.portSetting,
    defaultPort: worker.defaultPort,
  })),
  {
    name: 'gateway',
    service: 'gateway',
    kind: 'gateway',
    entry: 'gateway/src/server.ts',
    portSetting: 'GATEWAY_PORT',
    defaultPort: 4000,
  },
];

/** The port settings of the table, so `loadConfig` reads (and checks) any override once. */
export const portSettings: Record<string, ReturnType<typeof setting.port>> = Object.fromEntries(
  PROCESSES.map((p) => [p.portSetting, setting.port(p.defaultPort, `port where ${p.name} answers /ready`)]),
);
