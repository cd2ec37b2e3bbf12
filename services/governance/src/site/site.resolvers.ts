import type { GovernanceContext } from '../context';
import type { RegisterSiteInput, SiteRow } from './site.service';

export const siteResolvers = {
  Query: {
    site: (_: unknown, args: { id: string }, ctx: GovernanceContext) => ctx.loaders.site.load(args.id),
    sites: (_: unknown, args: { regionCode?: string; first?: number; after?: string }, ctx: GovernanceContext) =>
      ctx.sites.list(args.regionCode, args.first, args.after),
  },
  Mutation: {
    registerSite: (_: unknown, args: { input: RegisterSiteInput }, ctx: GovernanceContext) =>
      ctx.sites.register(args.input),
  },
  Site: {
    __resolveReference: (ref: { id: string }, ctx: GovernanceContext) => ctx.loaders.site.load(ref.id),
    region: (s: SiteRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.region.load(s.regionCode),
    householdCount: async (s: SiteRow, _: unknown, ctx: GovernanceContext) =>
      (await ctx.loaders.siteCounts.load(s.id)).households,
    residentCount: async (s: SiteRow, _: unknown, ctx: GovernanceContext) =>
      (await ctx.loaders.siteCounts.load(s.id)).residents,
  },
};
