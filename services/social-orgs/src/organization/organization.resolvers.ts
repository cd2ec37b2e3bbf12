import type { Resolvers } from '../generated/graphql';
import { required } from '@anju/kit';

export const organizationResolvers: Resolvers = {
  OrganizationKind: { PROFESSIONAL: 'professional', PUBLIC_WELFARE: 'public_welfare', MUTUAL_AID: 'mutual_aid' },
  IncubationStage: { APPLIED: 'applied', INCUBATING: 'incubating', REGISTERED: 'registered', GRADUATED: 'graduated' },
  Query: {
    organization: (_, args, ctx) => ctx.loaders.organization.load(args.id),
    organizations: (_, args, ctx) => ctx.organizations.list(args.first, args.after),
  },
  Mutation: {
    registerOrganization: (_, args, ctx) => ctx.organizations.register(args.input),
    advanceIncubation: async (_, args, ctx) =>
      required(ctx.loaders.organization.load(await ctx.incubation.advance(args.input)), 'organizationId'),
  },
  SocialOrganization: {
    __resolveReference: (ref, ctx) => ctx.loaders.organization.load(ref.id),
    registeredAt: (o) => new Date(o.registeredAt).toISOString(),
    incubationHistory: (o, _, ctx) => ctx.loaders.incubationSteps.load(o.id),
  },
  IncubationStep: {
    from: (s) => s.fromStage,
    to: (s) => s.toStage,
  },
};
