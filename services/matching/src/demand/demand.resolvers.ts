import { isoInstant } from '@anju/kit';
import type { MutationResolvers, Resolvers } from '../generated/graphql';
import type { DemandAction } from './demand.service';
import { matchOne } from '../match/match.service';

const step =
  (action: DemandAction): MutationResolvers['fulfilDemand'] =>
  (_, args, ctx) =>
    ctx.demands.act(args.demandId, action, { note: args.note });

export const demandResolvers: Resolvers = {
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
    demand: (_, args, ctx) => ctx.loaders.demand.load(args.id),
    demands: (_, args, ctx) =>
      ctx.demands.list(args.siteId, args.status, args.first, args.after, args.householdId, args),
  },
  Mutation: {
    // The incremental match runs in the same transaction: the best volunteer is proposed as the demand is recorded.
    recordDemand: (_, args, ctx) => ctx.demands.record(args.input, (m, id) => matchOne(m, id, ctx.clock.now())),
    claimDemand: (_, args, ctx) => ctx.demands.act(args.demandId, 'claim', { promisedOn: args.promisedOn }),
    startDemand: step('start'),
    fulfilDemand: step('fulfil'),
    closeDemand: step('close'),
    cancelDemand: step('cancel'),
    reopenDemand: step('reopen'),
  },
  Demand: {
    __resolveReference: (ref, ctx) => ctx.loaders.demand.load(ref.id),
    site: (d) => ({ id: d.siteId }),
    recordedAt: (d) => isoInstant(d.recordedAt),
    claimedAt: (d) => isoInstant(d.claimedAt),
    overdueSince: (d) => isoInstant(d.overdueSince),
    overdue: (d) => d.overdueSince !== null,
    statusChangedAt: (d) => isoInstant(d.statusChangedAt),
    claimedBy: (d, _, ctx) => (d.unitId ? ctx.loaders.unit.load(d.unitId) : null),
    history: async (d, _, ctx) =>
      (await ctx.loaders.history.load(d.id)).map((h) => ({
        from: h.fromStatus,
        to: h.toStatus,
        at: isoInstant(h.at),
        note: h.note,
      })),
    assignments: (d, _, ctx) => ctx.loaders.assignmentsOfDemand.load(d.id),
  },
  Site: {
    __resolveReference: (ref) => ({ id: ref.id }),
    openDemandCount: async (s, _, ctx) => (await ctx.loaders.siteDemandCounts.load(s.id)).open,
    overdueDemandCount: async (s, _, ctx) => (await ctx.loaders.siteDemandCounts.load(s.id)).overdue,
  },
};
