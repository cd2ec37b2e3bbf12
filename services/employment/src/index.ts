export { startEmploymentApi, SCHEMA_FILE } from './api';
export { startEmploymentWorker } from './worker';
export { loadEmploymentConfig, employmentSettings, type EmploymentConfig } from './config';
