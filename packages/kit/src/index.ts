import 'reflect-metadata';

export * from './config';
export * from './request-context';
export * from './logger';
export * from './errors';
export * from './auth';
export * from './database';
export * from './redis';
export * from './lifecycle';
export * from './health';
export * from './graphql-errors';
export * from './subgraph-server';
export * from './national-id';
export * from './personal-data';
export * from './runtime';
export * from './loaders';
export * from './scheduler';
export * from './service-api';
