import type { GovernanceContext } from '../context';
import type { HouseholdVisitRow } from './household-visit.service';

export const householdVisitResolvers = {
  Query: {
    /** Null when the household is outside the caller's scope (the household loader is scoped). */
    householdVisits: async (_: unknown, a: { householdId: string }, ctx: GovernanceContext) =>
      (await ctx.loaders.household.load(a.householdId)) ? ctx.householdVisits.ofHousehold(a.householdId) : null,
  },
  Mutation: {
    recordHouseholdVisit: (
      _: unknown,
      a: { input: { householdId: string; visitedOn: string; note: string } },
      ctx: GovernanceContext,
    ) => ctx.householdVisits.record(a.input),
  },
  HouseholdVisit: {
    household: (v: HouseholdVisitRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.household.load(v.householdId),
  },
};
