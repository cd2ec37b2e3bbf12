import type { MatchingContext } from '../context';
import type { BoardEntry, UnitKind } from './unit.service';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const unitResolvers = {
  UnitKind: { PARTY_ORG: 'party_org', DEPARTMENT: 'department', ENTERPRISE: 'enterprise', SOCIAL_ORG: 'social_org' },
  Query: {
    units: (_: unknown, __: unknown, ctx: MatchingContext) => ctx.units.list(),
    claimsBoard: (_: unknown, args: { siteId: string }, ctx: MatchingContext) => ctx.units.board(args.siteId),
  },
  Mutation: {
    registerUnit: (
      _: unknown,
      args: { input: { name: string; kind: UnitKind; regions: string[] } },
      ctx: MatchingContext,
    ) => ctx.units.register(args.input),
  },
  Unit: {
    __resolveReference: (ref: { id: string }, ctx: MatchingContext) => ctx.loaders.unit.load(ref.id),
  },
  ClaimBoardEntry: {
    claimedAt: (e: BoardEntry) => iso(e.claimedAt),
    fulfilledAt: (e: BoardEntry) => iso(e.fulfilledAt),
  },
};
