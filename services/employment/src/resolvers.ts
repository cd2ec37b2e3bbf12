import { mergeResolverMaps } from '@anju/kit';
import { labourProfileResolvers } from './labour-profile/labour-profile.resolvers';
import { trainingResolvers } from './training/training.resolvers';
import { jobsResolvers } from './jobs/jobs.resolvers';
import { landResolvers } from './land/land.resolvers';
import { monitoringResolvers } from './monitoring/monitoring.resolvers';
import { sitePictureResolvers } from './site-picture/site-picture.resolvers';

/** Feature resolver maps merged type by type (Query, Mutation, Resident… are shared). */
export const resolvers = mergeResolverMaps(
  labourProfileResolvers,
  trainingResolvers,
  jobsResolvers,
  landResolvers,
  monitoringResolvers,
  sitePictureResolvers,
);
