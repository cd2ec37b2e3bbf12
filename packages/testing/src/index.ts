export * from './database';
export * from './log-capture';
export * from './tokens';
export * from './graphql-client';
export * from './system';
export * from './national-ids';
export * from './fixtures';
export * from './processes';
