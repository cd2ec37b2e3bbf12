import type { SocialOrgsContext } from '../context';
import type { OrganizationRow } from './organization.service';

export const organizationResolvers = {
  OrganizationKind: { PROFESSIONAL: 'professional', PUBLIC_WELFARE: 'public_welfare', MUTUAL_AID: 'mutual_aid' },
  IncubationStage: { APPLIED: 'applied', INCUBATING: 'incubating', REGISTERED: 'registered', GRADUATED: 'graduated' },
  Query: {
    organization: (_: unknown, args: { id: string }, ctx: SocialOrgsContext) => ctx.loaders.organization.load(args.id),
    organizations: (_: unknown, args: { first?: number; after?: string }, ctx: SocialOrgsContext) =>
      ctx.organizations.list(args.first, args.after),
  },
  Mutation: {
    registerOrganization: (
      _: unknown,
      args: { input: Parameters<SocialOrgsContext['organizations']['register']>[0] },
      ctx: SocialOrgsContext,
    ) => ctx.organizations.register(args.input),
    advanceIncubation: async (
      _: unknown,
      args: { input: Parameters<SocialOrgsContext['incubation']['advance']>[0] },
      ctx: SocialOrgsContext,
    ) => ctx.loaders.organization.load(await ctx.incubation.advance(args.input)),
  },
  SocialOrganization: {
    __resolveReference: (ref: { id: string }, ctx: SocialOrgsContext) => ctx.loaders.organization.load(ref.id),
    registeredAt: (o: OrganizationRow) => new Date(o.registeredAt).toISOString(),
    incubationHistory: (o: OrganizationRow, _: unknown, ctx: SocialOrgsContext) =>
      ctx.loaders.incubationSteps.load(o.id),
  },
  IncubationStep: {
    from: (s: { fromStage: string }) => s.fromStage,
    to: (s: { toStage: string }) => s.toStage,
  },
};
