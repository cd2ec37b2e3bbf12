import type { Resolvers } from '../generated/graphql';

export const householdVisitResolvers: Resolvers = {
  Query: {
    /** Null when the household is outside the caller's scope (the household loader is scoped). */
    householdVisits: async (_, a, ctx) =>
      (await ctx.loaders.household.load(a.householdId)) ? ctx.householdVisits.ofHousehold(a.householdId) : null,
  },
  Mutation: {
    recordHouseholdVisit: (_, a, ctx) => ctx.householdVisits.record(a.input),
  },
  HouseholdVisit: {
    household: (v, _, ctx) => ctx.loaders.household.load(v.householdId),
  },
};
