import type { GovernanceContext } from '../context';
import type { MicroIssueLevel, MicroIssueOutcome } from './micro-issue.types';
import type { MicroIssueRow, ReportMicroIssueInput } from './micro-issue.service';
import type { MicroIssueStepRow } from './micro-issue.loaders';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const microIssueResolvers = {
  MicroIssueKind: { ISSUE: 'issue', DISPUTE: 'dispute' },
  MicroIssueLevel: {
    BUILDING_LEADER: 'building_leader',
    GRID_WORKER: 'grid_worker',
    MEDIATION: 'mediation',
    LEGAL_ADVISER: 'legal_adviser',
  },
  MicroIssueStatus: { OPEN: 'open', RESOLVED: 'resolved' },
  MicroIssueOutcome: { SOLVED: 'solved', AGREEMENT: 'agreement', REFERRED: 'referred', WITHDRAWN: 'withdrawn' },
  Query: {
    microIssue: (_: unknown, a: { id: string }, ctx: GovernanceContext) => ctx.loaders.microIssue.load(a.id),
    microIssues: (
      _: unknown,
      a: {
        siteId?: string;
        status?: 'open' | 'resolved';
        level?: MicroIssueLevel;
        overdue?: boolean;
        first?: number;
        after?: string;
      },
      ctx: GovernanceContext,
    ) => ctx.microIssues.list(a),
    microIssueStats: (_: unknown, a: { siteId?: string }, ctx: GovernanceContext) => ctx.microIssues.stats(a.siteId),
  },
  Mutation: {
    reportMicroIssue: (_: unknown, a: { input: ReportMicroIssueInput }, ctx: GovernanceContext) =>
      ctx.microIssues.report(a.input),
    escalateMicroIssue: (_: unknown, a: { id: string; note?: string }, ctx: GovernanceContext) =>
      ctx.microIssues.escalate(a.id, a.note),
    resolveMicroIssue: (
      _: unknown,
      a: { id: string; outcome: MicroIssueOutcome; note: string },
      ctx: GovernanceContext,
    ) => ctx.microIssues.resolve(a.id, a.outcome, a.note),
  },
  MicroIssue: {
    __resolveReference: (ref: { id: string }, ctx: GovernanceContext) => ctx.loaders.microIssue.load(ref.id),
    site: (m: MicroIssueRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.site.load(m.siteId),
    building: (m: MicroIssueRow, _: unknown, ctx: GovernanceContext) =>
      m.buildingId ? ctx.loaders.building.load(m.buildingId) : null,
    grid: (m: MicroIssueRow, _: unknown, ctx: GovernanceContext) => (m.gridId ? ctx.loaders.grid.load(m.gridId) : null),
    levelDueAt: (m: MicroIssueRow) => iso(m.levelDueAt),
    overdue: (m: MicroIssueRow, _: unknown, ctx: GovernanceContext) =>
      m.status === 'open' && new Date(m.levelDueAt).getTime() < ctx.clock.now().getTime(),
    openedAt: (m: MicroIssueRow) => iso(m.openedAt),
    resolvedAt: (m: MicroIssueRow) => iso(m.resolvedAt),
    resolutionHours: (m: MicroIssueRow) =>
      m.resolvedAt
        ? Math.round((new Date(m.resolvedAt).getTime() - new Date(m.openedAt).getTime()) / 360_000) / 10
        : null,
    steps: (m: MicroIssueRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.microIssueSteps.load(m.id),
    legalAdvisers: (m: MicroIssueRow, _: unknown, ctx: GovernanceContext) =>
      m.level === 'legal_adviser' ? ctx.loaders.advisersOfSite.load(m.siteId) : [],
  },
  MicroIssueStep: {
    enteredAt: (s: MicroIssueStepRow) => iso(s.enteredAt),
    dueAt: (s: MicroIssueStepRow) => iso(s.dueAt),
    leftAt: (s: MicroIssueStepRow) => iso(s.leftAt),
  },
};
