import type { Resolvers } from '../generated/graphql';
import { lowerEnum } from '@anju/kit';
import { reasonsOf } from './monitoring.service';

export const monitoringResolvers: Resolvers = {
  MonitoringLevel: lowerEnum('GRID', 'SITE', 'COUNTY', 'PREFECTURE', 'PROVINCE'),
  Query: {
    householdGaps: (_, a, ctx) => ctx.monitoring.gaps(a.filter ?? {}, a.first, a.after),
    householdGapsCsv: (_, a, ctx) => ctx.monitoring.gapsCsv(a.filter ?? {}),
    monitoringRollup: (_, a, ctx) => ctx.monitoring.rollup(a.level, a.under),
    monitoringTrend: (_, a, ctx) => ctx.monitoring.trend(a.level, a.code, a.from, a.to),
    gapFlow: (_, a, ctx) => ctx.monitoring.gapFlow(a.level, a.code, a.from, a.to),
  },
  Household: {
    incomeStability: (h, _, ctx) => ctx.loaders.status.load(h.id),
  },
  IncomeStability: {
    household: (s) => ({ id: s.householdId }),
    passing: (s) => s.failed.length === 0,
    failedRules: (s) => s.failed,
    reasons: (s) => reasonsOf(s),
    ableToWork: (s) => s.able,
    openGaps: (s, _, ctx) => ctx.loaders.openGaps.load(s.householdId),
    changedAt: (s) => new Date(s.changedAt).toISOString(),
  },
  MonitoringRollup: { passRate: (r) => (r.households ? r.passing / r.households : 0) },
  MonitoringSnapshot: { passRate: (r) => (r.households ? r.passing / r.households : 0) },
};
