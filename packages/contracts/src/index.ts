export * from './catalog';
export * from './outbox';
export * from './outbox-relay';
export * from './handler';
export * from './event-consumer';
export * from './job-options';
export * from './event-tables.migration';
export * from './service-worker';
