import type { Resolvers } from '../generated/graphql';
import { required } from '@anju/kit';

export const siteResolvers: Resolvers = {
  Query: {
    site: (_, args, ctx) => ctx.loaders.site.load(args.id),
    sites: (_, args, ctx) => ctx.sites.list(args.regionCode, args.first, args.after),
  },
  Mutation: {
    registerSite: (_, args, ctx) => ctx.sites.register(args.input),
  },
  Site: {
    __resolveReference: (ref, ctx) => ctx.loaders.site.load(ref.id),
    region: (s, _, ctx) => required(ctx.loaders.region.load(s.regionCode), 'regionCode'),
    householdCount: async (s, _, ctx) => (await ctx.loaders.siteCounts.load(s.id)).households,
    residentCount: async (s, _, ctx) => (await ctx.loaders.siteCounts.load(s.id)).residents,
  },
};
