import type { Resolvers } from '../generated/graphql';

export const sitePictureResolvers: Resolvers = {
  Site: {
    __resolveReference: (ref) => ({ id: ref.id }),
    passRate: async (s, _, ctx) => {
      const p = await ctx.loaders.sitePicture.load(s.id);
      return p.monitored ? p.passing / p.monitored : null;
    },
    monitoredHouseholdCount: async (s, _, ctx) => (await ctx.loaders.sitePicture.load(s.id)).monitored,
    openGapCount: async (s, _, ctx) => (await ctx.loaders.sitePicture.load(s.id)).openGaps,
  },
};
