import type { Resolvers } from '../generated/graphql';
import { required, loadPresent } from '@anju/kit';

export const buildingResolvers: Resolvers = {
  Query: {
    building: (_, a, ctx) => ctx.loaders.building.load(a.id),
    buildings: (_, a, ctx) => ctx.buildings.ofSite(a.siteId, a.gridId),
  },
  Mutation: {
    registerBuilding: (_, a, ctx) => ctx.buildings.register(a.input),
    assignBuildingToGrid: (_, a, ctx) => ctx.buildings.assignToGrid(a.buildingId, a.gridId),
    setBuildingLeader: (_, a, ctx) => ctx.buildings.setLeader(a.buildingId, a.residentId),
    addBuildingHelper: (_, a, ctx) => ctx.buildings.addHelper(a.buildingId, a.residentId),
  },
  Building: {
    __resolveReference: (ref, ctx) => ctx.loaders.building.load(ref.id),
    site: (b, _, ctx) => required(ctx.loaders.site.load(b.siteId), 'siteId'),
    grid: (b, _, ctx) => (b.gridId ? ctx.loaders.grid.load(b.gridId) : null),
    leader: (b, _, ctx) => (b.leaderResidentId ? ctx.loaders.resident.load(b.leaderResidentId) : null),
    helpers: async (b, _, ctx) => {
      const ids = await ctx.loaders.buildingHelpers.load(b.id);
      return loadPresent(ctx.loaders.resident, ids);
    },
  },
};
