export { service } from './service';
export { startSocialOrgsApi, SCHEMA_FILE } from './api';
export { loadSocialOrgsConfig, socialOrgsSettings, type SocialOrgsConfig } from './config';
