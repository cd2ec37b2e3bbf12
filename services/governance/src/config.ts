import { loadConfig, personalDataSettings, platformSettings, setting, type ConfigOf } from '@anju/kit';

export const governanceSettings = {
  ...platformSettings,
  // Governance's api seals and opens ID numbers and phones; no other process needs these keys.
  ...personalDataSettings,
  GOVERNANCE_PORT: setting.port(4001, 'HTTP port of the governance subgraph'),
  RETENTION_MOVED_OUT_DAYS: setting.int(730, 'days after moving out (迁出) that a resident\'s personal data is erased', 30),
  GOVERNANCE_WORKER_HEALTH_PORT: setting.port(4101, 'HTTP port of the governance worker’s /health and /ready'),
  NATIONAL_ID_LOOKUPS_PER_DAY: setting.int(20, 'lookups by full ID number (finds, duplicate registrations) one user may make per day', 1, 10_000),
};
export type GovernanceConfig = ConfigOf<typeof governanceSettings>;
export const loadGovernanceConfig = (env?: Record<string, string | undefined>) => loadConfig(governanceSettings, env);
