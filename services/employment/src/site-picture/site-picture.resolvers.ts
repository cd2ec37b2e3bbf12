import type { EmploymentContext } from '../context';

type SiteRef = { id: string };

export const sitePictureResolvers = {
  Site: {
    __resolveReference: (ref: SiteRef) => ({ id: ref.id }),
    passRate: async (s: SiteRef, _: unknown, ctx: EmploymentContext) => {
      const p = await ctx.loaders.sitePicture.load(s.id);
      return p.monitored ? p.passing / p.monitored : null;
    },
    monitoredHouseholdCount: async (s: SiteRef, _: unknown, ctx: EmploymentContext) =>
      (await ctx.loaders.sitePicture.load(s.id)).monitored,
    openGapCount: async (s: SiteRef, _: unknown, ctx: EmploymentContext) =>
      (await ctx.loaders.sitePicture.load(s.id)).openGaps,
  },
};
