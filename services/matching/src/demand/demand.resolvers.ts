import type { MatchingContext } from '../context';
import type { DemandStatus } from './demand.entity';
import type { DemandAction, DemandRow, RecordDemandInput } from './demand.service';
import { matchOne } from '../match/match.service';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const step = (action: DemandAction) => (_: unknown, args: { demandId: string; note?: string }, ctx: MatchingContext) =>
  ctx.demands.act(args.demandId, action, { note: args.note });

export const demandResolvers = {
  DemandCategory: {
    JOB_HELP: 'job_help',
    TRAINING: 'training',
    ELDERLY_CARE: 'elderly_care',
    CHILD_CARE: 'child_care',
    HEALTH: 'health',
    LEGAL_AID: 'legal_aid',
    INTEGRATION: 'integration',
    DAILY_LIFE: 'daily_life',
    OTHER: 'other',
  },
  Urgency: { LOW: 'low', NORMAL: 'normal', HIGH: 'high', CRITICAL: 'critical' },
  DemandStatus: {
    OPEN: 'open',
    CLAIMED: 'claimed',
    IN_PROGRESS: 'in_progress',
    FULFILLED: 'fulfilled',
    CLOSED: 'closed',
    CANCELLED: 'cancelled',
  },
  Query: {
    demand: (_: unknown, args: { id: string }, ctx: MatchingContext) => ctx.loaders.demand.load(args.id),
    demands: (
      _: unknown,
      args: {
        siteId?: string;
        status?: DemandStatus;
        householdId?: string;
        regionCode?: string;
        overdue?: boolean;
        first?: number;
        after?: string;
      },
      ctx: MatchingContext,
    ) => ctx.demands.list(args.siteId, args.status, args.first, args.after, args.householdId, args),
  },
  Mutation: {
    // The incremental match runs in the same transaction: the best volunteer is proposed as the demand is recorded.
    recordDemand: (_: unknown, args: { input: RecordDemandInput }, ctx: MatchingContext) =>
      ctx.demands.record(args.input, (m, id) => matchOne(m, id, ctx.clock.now())),
    claimDemand: (_: unknown, args: { demandId: string; promisedOn: string }, ctx: MatchingContext) =>
      ctx.demands.act(args.demandId, 'claim', { promisedOn: args.promisedOn }),
    startDemand: step('start'),
    fulfilDemand: step('fulfil'),
    closeDemand: step('close'),
    cancelDemand: step('cancel'),
    reopenDemand: step('reopen'),
  },
  Demand: {
    __resolveReference: (ref: { id: string }, ctx: MatchingContext) => ctx.loaders.demand.load(ref.id),
    site: (d: DemandRow) => ({ id: d.siteId }),
    recordedAt: (d: DemandRow) => iso(d.recordedAt),
    claimedAt: (d: DemandRow) => iso(d.claimedAt),
    overdueSince: (d: DemandRow) => iso(d.overdueSince),
    overdue: (d: DemandRow) => d.overdueSince !== null,
    statusChangedAt: (d: DemandRow) => iso(d.statusChangedAt),
    claimedBy: (d: DemandRow, _: unknown, ctx: MatchingContext) => (d.unitId ? ctx.loaders.unit.load(d.unitId) : null),
    history: async (d: DemandRow, _: unknown, ctx: MatchingContext) =>
      (await ctx.loaders.history.load(d.id)).map((h) => ({
        from: h.fromStatus,
        to: h.toStatus,
        at: iso(h.at),
        note: h.note,
      })),
    assignments: (d: DemandRow, _: unknown, ctx: MatchingContext) => ctx.loaders.assignmentsOfDemand.load(d.id),
  },
  Site: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    openDemandCount: async (s: { id: string }, _: unknown, ctx: MatchingContext) =>
      (await ctx.loaders.siteDemandCounts.load(s.id)).open,
    overdueDemandCount: async (s: { id: string }, _: unknown, ctx: MatchingContext) =>
      (await ctx.loaders.siteDemandCounts.load(s.id)).overdue,
  },
};
