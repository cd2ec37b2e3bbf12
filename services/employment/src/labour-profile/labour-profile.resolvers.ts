import type { Resolvers } from '../generated/graphql';

export const labourProfileResolvers: Resolvers = {
  LabourCapacity: { FULL: 'full', WEAK: 'weak', NONE: 'none' },
  Query: {
    labourProfiles: (_, args, ctx) => ctx.labourProfiles.list(args.siteId, args.first, args.after),
  },
  Resident: {
    // Governance owns residents and checks scope there too; here the profile itself is scoped.
    __resolveReference: (ref) => ({ id: ref.id }),
    labourProfile: (r, _, ctx) => ctx.loaders.labourProfile.load(r.id),
  },
  LabourProfile: {
    resident: (p) => ({ id: p.residentId }),
    createdAt: (p) => new Date(p.createdAt).toISOString(),
  },
};
