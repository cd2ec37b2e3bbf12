import type { SocialOrgsContext } from '../context';

type SiteRef = { id: string };

export const sitePictureResolvers = {
  Site: {
    __resolveReference: (ref: SiteRef) => ({ id: ref.id }),
    activePartnerCount: async (s: SiteRef, _: unknown, ctx: SocialOrgsContext) =>
      (await ctx.loaders.sitePicture.load(s.id)).activePartners,
    activityCountThisMonth: async (s: SiteRef, _: unknown, ctx: SocialOrgsContext) =>
      (await ctx.loaders.sitePicture.load(s.id)).activitiesThisMonth,
  },
};
