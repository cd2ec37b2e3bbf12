import type { MatchingContext } from '../context';
import type { DemandStatus } from './demand.entity';
import type { DemandRow, RecordDemandInput } from './demand.service';

export const demandResolvers = {
  DemandCategory: {
    JOB_HELP: 'job_help', TRAINING: 'training', ELDERLY_CARE: 'elderly_care', CHILD_CARE: 'child_care', HEALTH: 'health',
    LEGAL_AID: 'legal_aid', INTEGRATION: 'integration', DAILY_LIFE: 'daily_life', OTHER: 'other',
  },
  Urgency: { LOW: 'low', NORMAL: 'normal', HIGH: 'high', CRITICAL: 'critical' },
  DemandStatus: { OPEN: 'open', CLAIMED: 'claimed', IN_PROGRESS: 'in_progress', FULFILLED: 'fulfilled', CLOSED: 'closed', CANCELLED: 'cancelled' },
  Query: {
    demand: (_: unknown, args: { id: string }, ctx: MatchingContext) => ctx.loaders.demand.load(args.id),
    demands: (_: unknown, args: { siteId: string; status?: DemandStatus; first?: number; after?: string }, ctx: MatchingContext) =>
      ctx.demands.list(args.siteId, args.status, args.first, args.after),
  },
  Mutation: {
    recordDemand: (_: unknown, args: { input: RecordDemandInput }, ctx: MatchingContext) => ctx.demands.record(args.input),
  },
  Demand: {
    __resolveReference: (ref: { id: string }, ctx: MatchingContext) => ctx.loaders.demand.load(ref.id),
    site: (d: DemandRow) => ({ id: d.siteId }),
    recordedAt: (d: DemandRow) => new Date(d.recordedAt).toISOString(),
  },
  Site: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    openDemandCount: (s: { id: string }, _: unknown, ctx: MatchingContext) => ctx.loaders.openDemandCount.load(s.id),
  },
};
