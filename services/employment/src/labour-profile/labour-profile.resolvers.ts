import type { EmploymentContext } from '../context';
import type { LabourProfileRow } from './labour-profile.service';

export const labourProfileResolvers = {
  LabourCapacity: { FULL: 'full', WEAK: 'weak', NONE: 'none' },
  Query: {
    labourProfiles: (_: unknown, args: { siteId: string; first?: number; after?: string }, ctx: EmploymentContext) =>
      ctx.labourProfiles.list(args.siteId, args.first, args.after),
  },
  Resident: {
    // Governance owns residents and checks scope there too; here the profile itself is scoped.
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    labourProfile: (r: { id: string }, _: unknown, ctx: EmploymentContext) => ctx.loaders.labourProfile.load(r.id),
  },
  LabourProfile: {
    resident: (p: LabourProfileRow) => ({ id: p.residentId }),
    createdAt: (p: LabourProfileRow) => new Date(p.createdAt).toISOString(),
  },
};
