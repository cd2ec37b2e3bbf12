import { loadConfig, platformSettings, setting, type ConfigOf } from '@anju/kit';

export const matchingSettings = {
  ...platformSettings,
  MATCHING_PORT: setting.port(4004, 'HTTP port of the matching subgraph'),
  MATCHING_WORKER_HEALTH_PORT: setting.port(4104, 'HTTP port of the matching worker’s /health and /ready'),
};
export type MatchingConfig = ConfigOf<typeof matchingSettings>;
export const loadMatchingConfig = (env?: Record<string, string | undefined>) => loadConfig(matchingSettings, env);
