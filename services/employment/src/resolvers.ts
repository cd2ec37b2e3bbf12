import { labourProfileResolvers } from './labour-profile/labour-profile.resolvers';
import { trainingResolvers } from './training/training.resolvers';
import { jobsResolvers } from './jobs/jobs.resolvers';
import { landResolvers } from './land/land.resolvers';
import { monitoringResolvers } from './monitoring/monitoring.resolvers';
import { sitePictureResolvers } from './site-picture/site-picture.resolvers';

type ResolverMap = Record<string, Record<string, unknown>>;

/** Feature resolver maps merged type by type (Query, Mutation, Resident… are shared). */
function merge(...maps: ResolverMap[]): ResolverMap {
  const out: ResolverMap = {};
  for (const m of maps) for (const [type, fields] of Object.entries(m)) out[type] = { ...out[type], ...fields };
  return out;
}

export const resolvers = merge(
  labourProfileResolvers,
  trainingResolvers,
  jobsResolvers,
  landResolvers,
  monitoringResolvers,
  sitePictureResolvers,
);
