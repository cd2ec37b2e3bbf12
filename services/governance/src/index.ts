export { startGovernanceApi, SCHEMA_FILE } from './api';
export { startGovernanceWorker } from './worker';
export { loadGovernanceConfig, governanceSettings, type GovernanceConfig } from './config';
