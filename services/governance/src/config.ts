import { loadConfig, personalDataSettings, platformSettings, setting, type ConfigOf } from '@anju/kit';

export const governanceSettings = {
  ...platformSettings,
  // Governance seals and opens ID numbers and phones; no other service holds these keys.
  ...personalDataSettings,
  GOVERNANCE_PORT: setting.port(4001, 'HTTP port of the governance subgraph'),
  GOVERNANCE_WORKER_HEALTH_PORT: setting.port(4101, 'HTTP port of the governance worker’s /health and /ready'),
};
export type GovernanceConfig = ConfigOf<typeof governanceSettings>;
export const loadGovernanceConfig = (env?: Record<string, string | undefined>) => loadConfig(governanceSettings, env);
