import type { GovernanceContext } from '../context';
import type { HouseholdRow } from './household.service';

export const householdResolvers = {
  Query: {
    household: (_: unknown, args: { id: string }, ctx: GovernanceContext) => ctx.loaders.household.load(args.id),
  },
  Mutation: {
    registerHousehold: (_: unknown, args: { input: { siteId: string; householdNumber: string; address?: string } }, ctx: GovernanceContext) =>
      ctx.households.register(args.input),
  },
  Household: {
    __resolveReference: (ref: { id: string }, ctx: GovernanceContext) => ctx.loaders.household.load(ref.id),
    site: (h: HouseholdRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.site.load(h.siteId),
    residents: (h: HouseholdRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.residentsOfHousehold.load(h.id),
  },
};
