import { loadConfig, platformSettings, setting, type ConfigOf } from '@anju/kit';

export const socialOrgsSettings = {
  ...platformSettings,
  SOCIAL_ORGS_PORT: setting.port(4003, 'HTTP port of the social-orgs subgraph'),
  SOCIAL_ORGS_WORKER_HEALTH_PORT: setting.port(4103, 'HTTP port of the social-orgs worker’s /health and /ready'),
};
export type SocialOrgsConfig = ConfigOf<typeof socialOrgsSettings>;
export const loadSocialOrgsConfig = (env?: Record<string, string | undefined>) => loadConfig(socialOrgsSettings, env);
