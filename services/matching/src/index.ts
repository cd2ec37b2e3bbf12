export { service } from './service';
export { startMatchingApi } from './api';
export { loadMatchingConfig, matchingSettings, type MatchingConfig } from './config';
/** The assignment engine (pure code, no database): for benchmarks. */
export * as engine from './engine';
export { codegen } from './codegen';
