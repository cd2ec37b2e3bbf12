import type { GovernanceContext } from '../context';
import type { ListItemStatus, ListKind } from './list-item.types';
import { provinceDate } from '@anju/kit';
import { type ListItemInput, type ListItemRow } from './list-item.service';

export const listItemResolvers = {
  ListKind: { PARTY_SERVICE: 'party_service', PROPERTY: 'property', GRID: 'grid' },
  ListItemStatus: { OPEN: 'open', IN_PROGRESS: 'in_progress', DONE: 'done', CANCELLED: 'cancelled' },
  Query: {
    listItem: (_: unknown, a: { id: string }, ctx: GovernanceContext) => ctx.loaders.listItem.load(a.id),
    listItems: (
      _: unknown,
      a: {
        siteId?: string;
        kind?: ListKind;
        status?: ListItemStatus;
        overdue?: boolean;
        first?: number;
        after?: string;
      },
      ctx: GovernanceContext,
    ) => ctx.listItems.list(a),
    myListItems: (_: unknown, a: { overdue?: boolean; first?: number; after?: string }, ctx: GovernanceContext) =>
      ctx.listItems.list({ ...a, mine: true }),
  },
  Mutation: {
    createListItem: (_: unknown, a: { siteId: string; input: ListItemInput }, ctx: GovernanceContext) =>
      ctx.listItems.create(a.siteId, a.input),
    setListItemStatus: (_: unknown, a: { id: string; status: ListItemStatus; note?: string }, ctx: GovernanceContext) =>
      ctx.listItems.setStatus(a.id, a.status, a.note),
  },
  ListItem: {
    site: (l: ListItemRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.site.load(l.siteId),
    overdue: (l: ListItemRow, _: unknown, ctx: GovernanceContext) =>
      (l.status === 'open' || l.status === 'in_progress') && l.dueOn < provinceDate(ctx.clock.now()),
    completedAt: (l: ListItemRow) => (l.completedAt ? new Date(l.completedAt).toISOString() : null),
    resolutionOf: (l: ListItemRow, _: unknown, ctx: GovernanceContext) =>
      l.resolutionOf ? ctx.loaders.jointMeeting.load(l.resolutionOf) : null,
  },
};
