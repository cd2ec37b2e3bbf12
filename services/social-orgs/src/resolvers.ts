import { mergeResolverMaps } from '@anju/kit';
import { organizationResolvers } from './organization/organization.resolvers';
import { activityResolvers } from './activity/activity.resolvers';
import { socialWorkerResolvers } from './social-worker/social-worker.resolvers';
import { caseworkResolvers } from './casework/casework.resolvers';
import { microServiceResolvers } from './micro-service/micro-service.resolvers';
import { contractResolvers } from './contract/contract.resolvers';
import { ventureResolvers } from './venture/venture.resolvers';
import { committeeResolvers } from './committee/committee.resolvers';
import { auditLogResolvers } from './audit-log/audit-log.resolvers';
import { sitePictureResolvers } from './site-picture/site-picture.resolvers';
import { aidFundResolvers } from './aid-fund/aid-fund.resolvers';

/** The subgraph's resolver map: each feature's, merged type by type. */
export const resolvers = mergeResolverMaps(
  organizationResolvers,
  activityResolvers,
  socialWorkerResolvers,
  caseworkResolvers,
  microServiceResolvers,
  contractResolvers,
  ventureResolvers,
  committeeResolvers,
  auditLogResolvers,
  sitePictureResolvers,
  aidFundResolvers,
);
