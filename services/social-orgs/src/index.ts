export { startSocialOrgsApi, SCHEMA_FILE } from './api';
export { startSocialOrgsWorker } from './worker';
export { loadSocialOrgsConfig, socialOrgsSettings, type SocialOrgsConfig } from './config';
