import type { Resolvers } from '../generated/graphql';

export const sitePictureResolvers: Resolvers = {
  Site: {
    __resolveReference: (ref) => ({ id: ref.id }),
    activePartnerCount: async (s, _, ctx) => (await ctx.loaders.sitePicture.load(s.id)).activePartners,
    activityCountThisMonth: async (s, _, ctx) => (await ctx.loaders.sitePicture.load(s.id)).activitiesThisMonth,
  },
};
