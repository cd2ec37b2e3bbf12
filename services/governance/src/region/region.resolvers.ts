import type { Resolvers } from '../generated/graphql';

export const regionResolvers: Resolvers = {
  Query: {
    regions: (_, args, ctx) => ctx.regions.children(args.parentCode ?? null),
    region: (_, args, ctx) => ctx.loaders.region.load(args.code),
  },
  Mutation: {
    registerRegion: (_, args, ctx) => ctx.regions.register(args.input),
  },
  Region: {
    __resolveReference: (ref, ctx) => ctx.loaders.region.load(ref.code),
    parent: (r, _, ctx) => (r.parentCode ? ctx.loaders.region.load(r.parentCode) : null),
  },
};
