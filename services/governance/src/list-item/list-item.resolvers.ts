import type { Resolvers } from '../generated/graphql';
import { required, provinceDate } from '@anju/kit';

export const listItemResolvers: Resolvers = {
  ListKind: { PARTY_SERVICE: 'party_service', PROPERTY: 'property', GRID: 'grid' },
  ListItemStatus: { OPEN: 'open', IN_PROGRESS: 'in_progress', DONE: 'done', CANCELLED: 'cancelled' },
  Query: {
    listItem: (_, a, ctx) => ctx.loaders.listItem.load(a.id),
    listItems: (_, a, ctx) => ctx.listItems.list(a),
    myListItems: (_, a, ctx) => ctx.listItems.list({ ...a, mine: true }),
  },
  Mutation: {
    createListItem: (_, a, ctx) => ctx.listItems.create(a.siteId, a.input),
    setListItemStatus: (_, a, ctx) => ctx.listItems.setStatus(a.id, a.status, a.note),
  },
  ListItem: {
    site: (l, _, ctx) => required(ctx.loaders.site.load(l.siteId), 'siteId'),
    overdue: (l, _, ctx) =>
      (l.status === 'open' || l.status === 'in_progress') && l.dueOn < provinceDate(ctx.clock.now()),
    completedAt: (l) => (l.completedAt ? new Date(l.completedAt).toISOString() : null),
    resolutionOf: (l, _, ctx) => (l.resolutionOf ? ctx.loaders.jointMeeting.load(l.resolutionOf) : null),
  },
};
