import type { GovernanceContext } from '../context';
import type { GridTaskStatus } from './grid-task.types';
import type { GridTaskRow } from './grid-task.service';

const STATUS = { OPEN: 'open', DONE: 'done', CLOSED: 'closed' } as const;

export const gridTaskResolvers = {
  GridTaskStatus: STATUS,
  Query: {
    gridTasks: (
      _: unknown,
      a: {
        siteId?: string;
        gridId?: string;
        status?: GridTaskStatus;
        householdId?: string;
        first?: number;
        after?: string;
      },
      ctx: GovernanceContext,
    ) => ctx.gridTasks.list(a),
  },
  Mutation: {
    completeGridTask: (_: unknown, a: { id: string; note: string }, ctx: GovernanceContext) =>
      ctx.gridTasks.complete(a.id, a.note),
  },
  GridTask: {
    household: (t: GridTaskRow, _: unknown, ctx: GovernanceContext) =>
      t.householdId ? ctx.loaders.household.load(t.householdId) : null,
    grid: (t: GridTaskRow, _: unknown, ctx: GovernanceContext) => (t.gridId ? ctx.loaders.grid.load(t.gridId) : null),
    site: (t: GridTaskRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.site.load(t.siteId),
    rules: (t: GridTaskRow) => (Array.isArray(t.detail.rules) ? t.detail.rules : []),
    openedAt: (t: GridTaskRow) => new Date(t.openedAt).toISOString(),
    doneAt: (t: GridTaskRow) => (t.doneAt ? new Date(t.doneAt).toISOString() : null),
    closedAt: (t: GridTaskRow) => (t.closedAt ? new Date(t.closedAt).toISOString() : null),
  },
};
