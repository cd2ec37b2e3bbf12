import type { GovernanceContext } from '../context';
import type { Region } from './region.row';

export const regionResolvers = {
  Query: {
    regions: (_: unknown, args: { parentCode?: string | null }, ctx: GovernanceContext) =>
      ctx.regions.children(args.parentCode ?? null),
    region: (_: unknown, args: { code: string }, ctx: GovernanceContext) => ctx.loaders.region.load(args.code),
  },
  Mutation: {
    registerRegion: (_: unknown, args: { input: { code: string; name: string } }, ctx: GovernanceContext) =>
      ctx.regions.register(args.input),
  },
  Region: {
    __resolveReference: (ref: { code: string }, ctx: GovernanceContext) => ctx.loaders.region.load(ref.code),
    parent: (r: Region, _: unknown, ctx: GovernanceContext) =>
      r.parentCode ? ctx.loaders.region.load(r.parentCode) : null,
  },
};
