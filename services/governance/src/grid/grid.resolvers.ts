import type { Resolvers } from '../generated/graphql';
import { required } from '@anju/kit';

export const gridResolvers: Resolvers = {
  Query: {
    grid: (_, a, ctx) => ctx.loaders.grid.load(a.id),
    grids: (_, a, ctx) => ctx.grids.ofSite(a.siteId),
  },
  Mutation: {
    registerGrid: (_, a, ctx) => ctx.grids.register(a.input),
    setGridDuties: (_, a, ctx) => ctx.grids.setDuties(a.gridId, a.duties),
  },
  Grid: {
    __resolveReference: (ref, ctx) => ctx.loaders.grid.load(ref.id),
    site: (g, _, ctx) => required(ctx.loaders.site.load(g.siteId), 'siteId'),
    buildings: (g, _, ctx) => ctx.loaders.buildingsOfGrid.load(g.id),
    duties: (g, _, ctx) => ctx.loaders.dutiesOfGrid.load(g.id),
  },
};
