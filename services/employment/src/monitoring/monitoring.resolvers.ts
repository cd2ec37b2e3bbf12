import type { EmploymentContext } from '../context';
import { lowerEnum } from '../enums';
import type { Level } from './monitoring.sql';
import { reasonsOf, type GapFilter, type RollupRow, type StatusRow } from './monitoring.service';

export const monitoringResolvers = {
  MonitoringLevel: lowerEnum('GRID', 'SITE', 'COUNTY', 'PREFECTURE', 'PROVINCE'),
  Query: {
    householdGaps: (_: unknown, a: { filter?: GapFilter; first?: number; after?: string }, ctx: EmploymentContext) =>
      ctx.monitoring.gaps(a.filter ?? {}, a.first, a.after),
    householdGapsCsv: (_: unknown, a: { filter?: GapFilter }, ctx: EmploymentContext) =>
      ctx.monitoring.gapsCsv(a.filter ?? {}),
    monitoringRollup: (_: unknown, a: { level: Level; under?: string }, ctx: EmploymentContext) =>
      ctx.monitoring.rollup(a.level, a.under),
    monitoringTrend: (
      _: unknown,
      a: { level: Level; code: string; from: string; to: string },
      ctx: EmploymentContext,
    ) => ctx.monitoring.trend(a.level, a.code, a.from, a.to),
    gapFlow: (_: unknown, a: { level: Level; code: string; from: string; to: string }, ctx: EmploymentContext) =>
      ctx.monitoring.gapFlow(a.level, a.code, a.from, a.to),
  },
  Household: {
    incomeStability: (h: { id: string }, _: unknown, ctx: EmploymentContext) => ctx.loaders.status.load(h.id),
  },
  IncomeStability: {
    household: (s: StatusRow) => ({ id: s.householdId }),
    passing: (s: StatusRow) => s.failed.length === 0,
    failedRules: (s: StatusRow) => s.failed,
    reasons: (s: StatusRow) => reasonsOf(s),
    ableToWork: (s: StatusRow) => s.able,
    openGaps: (s: StatusRow, _: unknown, ctx: EmploymentContext) => ctx.loaders.openGaps.load(s.householdId),
    changedAt: (s: StatusRow) => new Date(s.changedAt).toISOString(),
  },
  MonitoringRollup: { passRate: (r: RollupRow) => (r.households ? r.passing / r.households : 0) },
  MonitoringSnapshot: { passRate: (r: RollupRow) => (r.households ? r.passing / r.households : 0) },
};
