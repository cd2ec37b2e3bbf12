import { loadConfig, lookupHashSettings, platformSettings, setting, uploadSettings, type ConfigOf } from '@anju/kit';

export const employmentSettings = {
  ...platformSettings,
  // The subgraph's imports seal the uploaded sheet (a key of their own) and find residents by the keyed hash of
  // their ID numbers (governance's hash key). It never seals nor opens an ID number: no PII_ENCRYPTION_KEY here.
  ...lookupHashSettings,
  ...uploadSettings,
  EMPLOYMENT_PORT: setting.port(4002, 'HTTP port of the employment subgraph'),
  EMPLOYMENT_WORKER_HEALTH_PORT: setting.port(4102, 'HTTP port of the employment worker’s /health and /ready'),
};
export type EmploymentConfig = ConfigOf<typeof employmentSettings>;
export const loadEmploymentConfig = (env?: Record<string, string | undefined>) => loadConfig(employmentSettings, env);
