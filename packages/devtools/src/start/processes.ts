import path from 'node:path';
import { setting } from '@anju/kit';

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
 * Every process of the platform, in start order: the one table `pnpm start` runs from. A new
 * service adds one api row and one worker row; the gateway comes last because it needs the
 * subgraphs to answer.
 */
export const PROCESSES: readonly ProcessDefinition[] = [
  { name: 'gov-api', service: 'governance', kind: 'api', entry: 'services/governance/src/api.ts', portSetting: 'GOVERNANCE_PORT', defaultPort: 4001, gatewayUrlSetting: 'GOVERNANCE_URL' },
  { name: 'emp-api', service: 'employment', kind: 'api', entry: 'services/employment/src/api.ts', portSetting: 'EMPLOYMENT_PORT', defaultPort: 4002, gatewayUrlSetting: 'EMPLOYMENT_URL' },
  { name: 'orgs-api', service: 'social-orgs', kind: 'api', entry: 'services/social-orgs/src/api.ts', portSetting: 'SOCIAL_ORGS_PORT', defaultPort: 4003, gatewayUrlSetting: 'SOCIAL_ORGS_URL' },
  { name: 'match-api', service: 'matching', kind: 'api', entry: 'services/matching/src/api.ts', portSetting: 'MATCHING_PORT', defaultPort: 4004, gatewayUrlSetting: 'MATCHING_URL' },
  { name: 'gov-worker', service: 'governance', kind: 'worker', entry: 'services/governance/src/worker.ts', portSetting: 'GOVERNANCE_WORKER_HEALTH_PORT', defaultPort: 4101 },
  { name: 'emp-worker', service: 'employment', kind: 'worker', entry: 'services/employment/src/worker.ts', portSetting: 'EMPLOYMENT_WORKER_HEALTH_PORT', defaultPort: 4102 },
  { name: 'orgs-worker', service: 'social-orgs', kind: 'worker', entry: 'services/social-orgs/src/worker.ts', portSetting: 'SOCIAL_ORGS_WORKER_HEALTH_PORT', defaultPort: 4103 },
  { name: 'match-worker', service: 'matching', kind: 'worker', entry: 'services/matching/src/worker.ts', portSetting: 'MATCHING_WORKER_HEALTH_PORT', defaultPort: 4104 },
  { name: 'gateway', service: 'gateway', kind: 'gateway', entry: 'gateway/src/server.ts', portSetting: 'GATEWAY_PORT', defaultPort: 4000 },
];

/** The port settings of the table, so `loadConfig` reads (and checks) any override once. */
export const portSettings: Record<string, ReturnType<typeof setting.port>> = Object.fromEntries(
  PROCESSES.map((p) => [p.portSetting, setting.port(p.defaultPort, `port where ${p.name} answers /ready`)]),
);
