import type { GovernanceContext } from '../context';
import type { BuildingRow, RegisterBuildingInput } from './building.service';

export const buildingResolvers = {
  Query: {
    building: (_: unknown, a: { id: string }, ctx: GovernanceContext) => ctx.loaders.building.load(a.id),
    buildings: (_: unknown, a: { siteId: string; gridId?: string | null }, ctx: GovernanceContext) =>
      ctx.buildings.ofSite(a.siteId, a.gridId),
  },
  Mutation: {
    registerBuilding: (_: unknown, a: { input: RegisterBuildingInput }, ctx: GovernanceContext) =>
      ctx.buildings.register(a.input),
    assignBuildingToGrid: (_: unknown, a: { buildingId: string; gridId?: string | null }, ctx: GovernanceContext) =>
      ctx.buildings.assignToGrid(a.buildingId, a.gridId),
    setBuildingLeader: (_: unknown, a: { buildingId: string; residentId: string }, ctx: GovernanceContext) =>
      ctx.buildings.setLeader(a.buildingId, a.residentId),
    addBuildingHelper: (_: unknown, a: { buildingId: string; residentId: string }, ctx: GovernanceContext) =>
      ctx.buildings.addHelper(a.buildingId, a.residentId),
  },
  Building: {
    __resolveReference: (ref: { id: string }, ctx: GovernanceContext) => ctx.loaders.building.load(ref.id),
    site: (b: BuildingRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.site.load(b.siteId),
    grid: (b: BuildingRow, _: unknown, ctx: GovernanceContext) => (b.gridId ? ctx.loaders.grid.load(b.gridId) : null),
    leader: (b: BuildingRow, _: unknown, ctx: GovernanceContext) =>
      b.leaderResidentId ? ctx.loaders.resident.load(b.leaderResidentId) : null,
    helpers: async (b: BuildingRow, _: unknown, ctx: GovernanceContext) => {
      const ids = await ctx.loaders.buildingHelpers.load(b.id);
      return (await ctx.loaders.resident.loadMany(ids)).filter((r) => r && !(r instanceof Error));
    },
  },
};
