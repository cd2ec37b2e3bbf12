import type { Resolvers } from '../generated/graphql';
import { required, ageByYear } from '@anju/kit';

export const residentResolvers: Resolvers = {
  Query: {
    resident: (_, args, ctx) => ctx.loaders.resident.load(args.id),
    residents: (_, args, ctx) =>
      ctx.residents.list(args.siteId, args.search, args.first, args.after, args.filter ?? {}),
  },
  Mutation: {
    registerResident: (_, args, ctx) => ctx.residents.register(args.input),
    updateResident: (_, args, ctx) => ctx.residents.update(args.id, args.input),
    moveOutResident: (_, args, ctx) => ctx.residents.moveOut(args.id, args.input),
    findResidentByNationalId: (_, args, ctx) => ctx.residents.findByNationalId(args.nationalId, args.reason),
    revealResidentContact: (_, args, ctx) => ctx.residents.revealContact(args.id, args.reason),
  },
  Resident: {
    __resolveReference: (ref, ctx) => ctx.loaders.resident.load(ref.id),
    age: (r, _, ctx) => ageByYear(r.birthDate, ctx.clock.now()),
    household: (r, _, ctx) => required(ctx.loaders.household.load(r.householdId), 'householdId'),
    site: (r, _, ctx) => required(ctx.loaders.site.load(r.siteId), 'siteId'),
    registeredAt: (r) => new Date(r.registeredAt).toISOString(),
    building: async (r, _, ctx) => {
      const h = await ctx.loaders.household.load(r.householdId);
      return h?.buildingId ? ctx.loaders.building.load(h.buildingId) : null;
    },
  },
};
