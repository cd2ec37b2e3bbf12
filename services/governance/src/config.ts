import { notificationSettings } from './notification/notification.config';
import { loadConfig, personalDataSettings, platformSettings, setting, uploadSettings, type ConfigOf } from '@anju/kit';

export const governanceSettings = {
  ...platformSettings,
  // Governance's api seals and opens ID numbers and phones; no other process needs these keys.
  ...personalDataSettings,
  // Its imports seal the uploaded sheet and the report with a key of their own.
  ...uploadSettings,
  GOVERNANCE_PORT: setting.port(4001, 'HTTP port of the governance subgraph'),
  RETENTION_MOVED_OUT_DAYS: setting.int(
    730,
    "days after moving out (迁出) that a resident's personal data is erased",
    30,
  ),
  GOVERNANCE_WORKER_HEALTH_PORT: setting.port(4101, 'HTTP port of the governance worker’s /health and /ready'),
  GOVERNANCE_IMPORT_WORKER_HEALTH_PORT: setting.port(
    4201,
    'HTTP port of the import worker’s /health and /ready (import-worker.ts)',
  ),
  IMPORTS_IN_API: setting.bool(
    true,
    'the subgraph runs import jobs itself; false where import-worker.ts runs them (a bounded API heap)',
  ),
  GRID_VISIT_EVERY_DAYS: setting.int(
    90,
    "days a household may go without a grid worker's visit (入户走访) before the daily pass opens a task",
    7,
    730,
  ),
  NATIONAL_ID_LOOKUPS_PER_DAY: setting.int(
    20,
    'lookups by full ID number (finds, duplicate registrations) one user may make per day',
    1,
    10_000,
  ),
  // Notifications' push senders (SMS, WeChat) and their rules: the worker sends.
  ...notificationSettings,
};
export type GovernanceConfig = ConfigOf<typeof governanceSettings>;
export const loadGovernanceConfig = (env?: Record<string, string | undefined>) => loadConfig(governanceSettings, env);
