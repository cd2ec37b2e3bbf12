import type { GovernanceContext } from '../context';
import type { GridRow, RegisterGridInput } from './grid.service';

export const gridResolvers = {
  Query: {
    grid: (_: unknown, a: { id: string }, ctx: GovernanceContext) => ctx.loaders.grid.load(a.id),
    grids: (_: unknown, a: { siteId: string }, ctx: GovernanceContext) => ctx.grids.ofSite(a.siteId),
  },
  Mutation: {
    registerGrid: (_: unknown, a: { input: RegisterGridInput }, ctx: GovernanceContext) => ctx.grids.register(a.input),
    setGridDuties: (
      _: unknown,
      a: { gridId: string; duties: { title: string; detail?: string | null }[] },
      ctx: GovernanceContext,
    ) => ctx.grids.setDuties(a.gridId, a.duties),
  },
  Grid: {
    __resolveReference: (ref: { id: string }, ctx: GovernanceContext) => ctx.loaders.grid.load(ref.id),
    site: (g: GridRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.site.load(g.siteId),
    buildings: (g: GridRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.buildingsOfGrid.load(g.id),
    duties: (g: GridRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.dutiesOfGrid.load(g.id),
  },
};
