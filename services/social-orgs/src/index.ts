export { service } from './service';
export { startSocialOrgsApi } from './api';
export { loadSocialOrgsConfig, socialOrgsSettings, type SocialOrgsConfig } from './config';
export { codegen } from './codegen';
