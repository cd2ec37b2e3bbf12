export * from './sheet-import';
export * from './import-jobs';
