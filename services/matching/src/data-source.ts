import { migrations } from './migrations';

/** Matching's tables live in the `matching` schema. */
export const matchingData = {
  schema: 'matching',
  migrations,
  runtimeRole: 'matching_app',
};
