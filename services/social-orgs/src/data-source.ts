import { migrations } from './migrations';

/** Social-orgs' tables live in the `social_orgs` schema. */
export const socialOrgsData = {
  schema: 'social_orgs',
  migrations,
  runtimeRole: 'social_orgs_app',
};
