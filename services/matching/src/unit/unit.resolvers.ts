import type { Resolvers } from '../generated/graphql';
import { isoInstant } from '@anju/kit';

export const unitResolvers: Resolvers = {
  UnitKind: { PARTY_ORG: 'party_org', DEPARTMENT: 'department', ENTERPRISE: 'enterprise', SOCIAL_ORG: 'social_org' },
  Query: {
    units: (_, __, ctx) => ctx.units.list(),
    claimsBoard: (_, args, ctx) => ctx.units.board(args.siteId),
  },
  Mutation: {
    registerUnit: (_, args, ctx) => ctx.units.register(args.input),
  },
  Unit: {
    __resolveReference: (ref, ctx) => ctx.loaders.unit.load(ref.id),
  },
  ClaimBoardEntry: {
    claimedAt: (e) => isoInstant(e.claimedAt),
    fulfilledAt: (e) => isoInstant(e.fulfilledAt),
  },
};
