export { startMatchingApi, SCHEMA_FILE } from './api';
export { startMatchingWorker } from './worker';
export { loadMatchingConfig, matchingSettings, type MatchingConfig } from './config';
