import { loadConfig, personalDataSettings, platformSettings, setting, type ConfigOf } from '@anju/kit';

export const employmentSettings = {
  ...platformSettings,
  // The subgraph's imports seal the uploaded sheet and hash its ID numbers (governance's keys); nothing else here needs them.
  ...personalDataSettings,
  EMPLOYMENT_PORT: setting.port(4002, 'HTTP port of the employment subgraph'),
  EMPLOYMENT_WORKER_HEALTH_PORT: setting.port(4102, 'HTTP port of the employment worker’s /health and /ready'),
};
export type EmploymentConfig = ConfigOf<typeof employmentSettings>;
export const loadEmploymentConfig = (env?: Record<string, string | undefined>) => loadConfig(employmentSettings, env);
