import type { GovernanceContext } from '../context';
import type { HouseholdRow } from './household.service';

export const householdResolvers = {
  Query: {
    household: (_: unknown, args: { id: string }, ctx: GovernanceContext) => ctx.loaders.household.load(args.id),
    households: (
      _: unknown,
      args: { siteId: string; buildingId?: string | null; gridId?: string | null; first?: number; after?: string },
      ctx: GovernanceContext,
    ) => ctx.households.list(args),
  },
  Mutation: {
    registerHousehold: (
      _: unknown,
      args: { input: { siteId: string; householdNumber: string; address?: string; buildingId?: string | null } },
      ctx: GovernanceContext,
    ) => ctx.households.register(args.input),
  },
  Household: {
    __resolveReference: (ref: { id: string }, ctx: GovernanceContext) => ctx.loaders.household.load(ref.id),
    site: (h: HouseholdRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.site.load(h.siteId),
    residents: (h: HouseholdRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.residentsOfHousehold.load(h.id),
    building: (h: HouseholdRow, _: unknown, ctx: GovernanceContext) =>
      h.buildingId ? ctx.loaders.building.load(h.buildingId) : null,
  },
};
