import type { Resolvers } from '../generated/graphql';
import { required } from '@anju/kit';

const STATUS = { OPEN: 'open', DONE: 'done', CLOSED: 'closed' } as const;

export const gridTaskResolvers: Resolvers = {
  GridTaskStatus: STATUS,
  Query: {
    gridTasks: (_, a, ctx) => ctx.gridTasks.list(a),
  },
  Mutation: {
    completeGridTask: (_, a, ctx) => ctx.gridTasks.complete(a.id, a.note),
  },
  GridTask: {
    household: (t, _, ctx) => (t.householdId ? ctx.loaders.household.load(t.householdId) : null),
    grid: (t, _, ctx) => (t.gridId ? ctx.loaders.grid.load(t.gridId) : null),
    site: (t, _, ctx) => required(ctx.loaders.site.load(t.siteId), 'siteId'),
    rules: (t) => (Array.isArray(t.detail.rules) ? t.detail.rules : []),
    openedAt: (t) => new Date(t.openedAt).toISOString(),
    doneAt: (t) => (t.doneAt ? new Date(t.doneAt).toISOString() : null),
    closedAt: (t) => (t.closedAt ? new Date(t.closedAt).toISOString() : null),
  },
};
