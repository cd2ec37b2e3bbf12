import type { Resolvers } from '../generated/graphql';
import { required } from '@anju/kit';

export const householdResolvers: Resolvers = {
  Query: {
    household: (_, args, ctx) => ctx.loaders.household.load(args.id),
    households: (_, args, ctx) => ctx.households.list(args),
  },
  Mutation: {
    registerHousehold: (_, args, ctx) => ctx.households.register(args.input),
  },
  Household: {
    __resolveReference: (ref, ctx) => ctx.loaders.household.load(ref.id),
    site: (h, _, ctx) => required(ctx.loaders.site.load(h.siteId), 'siteId'),
    residents: (h, _, ctx) => ctx.loaders.residentsOfHousehold.load(h.id),
    building: (h, _, ctx) => (h.buildingId ? ctx.loaders.building.load(h.buildingId) : null),
  },
};
