import { migrations } from './migrations';

/** Employment's tables live in the `employment` schema. */
export const employmentData = {
  schema: 'employment',
  migrations,
  /** Created by its last migration: plain read/write on the schema's tables, no DDL. */
  runtimeRole: 'employment_app',
};
