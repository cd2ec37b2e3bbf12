import { loadConfig, lookupHashSettings, platformSettings, setting, uploadSettings, type ConfigOf } from '@anju/kit';

export const matchingSettings = {
  ...platformSettings,
  // The subgraph's volunteer import seals the uploaded sheet (a key of its own) and finds residents by the keyed
  // hash of their ID numbers (governance's hash key). It never seals nor opens an ID number: no PII_ENCRYPTION_KEY.
  ...lookupHashSettings,
  ...uploadSettings,
  MATCHING_PORT: setting.port(4004, 'HTTP port of the matching subgraph'),
  MATCHING_WORKER_HEALTH_PORT: setting.port(4104, 'HTTP port of the matching worker’s /health and /ready'),
};
export type MatchingConfig = ConfigOf<typeof matchingSettings>;
export const loadMatchingConfig = (env?: Record<string, string | undefined>) => loadConfig(matchingSettings, env);
