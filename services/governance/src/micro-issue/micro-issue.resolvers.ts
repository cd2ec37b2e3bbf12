import type { Resolvers } from '../generated/graphql';
import { required, isoInstant } from '@anju/kit';

export const microIssueResolvers: Resolvers = {
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
    microIssue: (_, a, ctx) => ctx.loaders.microIssue.load(a.id),
    microIssues: (_, a, ctx) => ctx.microIssues.list(a),
    microIssueStats: (_, a, ctx) => ctx.microIssues.stats(a.siteId),
  },
  Mutation: {
    reportMicroIssue: (_, a, ctx) => ctx.microIssues.report(a.input),
    escalateMicroIssue: (_, a, ctx) => ctx.microIssues.escalate(a.id, a.note),
    resolveMicroIssue: (_, a, ctx) => ctx.microIssues.resolve(a.id, a.outcome, a.note),
  },
  MicroIssue: {
    __resolveReference: (ref, ctx) => ctx.loaders.microIssue.load(ref.id),
    site: (m, _, ctx) => required(ctx.loaders.site.load(m.siteId), 'siteId'),
    building: (m, _, ctx) => (m.buildingId ? ctx.loaders.building.load(m.buildingId) : null),
    grid: (m, _, ctx) => (m.gridId ? ctx.loaders.grid.load(m.gridId) : null),
    levelDueAt: (m) => isoInstant(m.levelDueAt),
    overdue: (m, _, ctx) => m.status === 'open' && new Date(m.levelDueAt).getTime() < ctx.clock.now().getTime(),
    openedAt: (m) => isoInstant(m.openedAt),
    resolvedAt: (m) => isoInstant(m.resolvedAt),
    resolutionHours: (m) =>
      m.resolvedAt
        ? Math.round((new Date(m.resolvedAt).getTime() - new Date(m.openedAt).getTime()) / 360_000) / 10
        : null,
    steps: (m, _, ctx) => ctx.loaders.microIssueSteps.load(m.id),
    legalAdvisers: (m, _, ctx) => (m.level === 'legal_adviser' ? ctx.loaders.advisersOfSite.load(m.siteId) : []),
  },
  MicroIssueStep: {
    enteredAt: (s) => isoInstant(s.enteredAt),
    dueAt: (s) => isoInstant(s.dueAt),
    leftAt: (s) => isoInstant(s.leftAt),
  },
};
