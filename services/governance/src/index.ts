export { service } from './service';
export { startGovernanceApi, SCHEMA_FILE } from './api';
export { loadGovernanceConfig, governanceSettings, type GovernanceConfig } from './config';
