import type { Resolvers } from '../generated/graphql';
import { required, isoInstant } from '@anju/kit';

export const supervisionResolvers: Resolvers = {
  FindingTarget: { LIST_ITEM: 'list_item', NOTICE: 'notice', POINTS_ENTRY: 'points_entry' },
  FindingAction: { FLAG: 'flag', REOPEN: 'reopen' },
  FindingStatus: { OPEN: 'open', ANSWERED: 'answered' },
  Query: {
    supervisoryMembers: (_, a, ctx) => ctx.supervision.members(a.siteId, a.includeEnded),
    supervisionFindings: (_, a, ctx) => ctx.supervision.list(a),
  },
  Mutation: {
    appointSupervisoryMember: (_, a, ctx) => ctx.supervision.appoint(a.siteId, a.residentId),
    endSupervisoryMembership: (_, a, ctx) => ctx.supervision.endTerm(a.siteId, a.residentId, a.reason),
    recordSupervisionFinding: (_, a, ctx) => ctx.supervision.record(a.input),
    answerSupervisionFinding: (_, a, ctx) => ctx.supervision.answer(a.id, a.response),
  },
  // The flag on the records a finding can be about: other features' types, extended in supervision.graphql.
  ListItem: {
    openFindings: (l, _, ctx) => ctx.loaders.openFindingsOfListItem.load(l.id),
  },
  Notice: {
    openFindings: (n, _, ctx) => ctx.loaders.openFindingsOfNotice.load(n.id),
  },
  SupervisoryMember: {
    site: (m, _, ctx) => required(ctx.loaders.site.load(m.siteId), 'siteId'),
    // Null where the caller may not see the resident (a resident sees only themselves).
    resident: (m, _, ctx) => ctx.loaders.resident.load(m.residentId),
  },
  SupervisionFinding: {
    site: (f, _, ctx) => required(ctx.loaders.site.load(f.siteId), 'siteId'),
    recordedAt: (f) => isoInstant(f.recordedAt),
    answeredAt: (f) => isoInstant(f.answeredAt),
    listItem: (f, _, ctx) => (f.targetKind === 'list_item' ? ctx.loaders.listItem.load(f.targetId) : null),
    notice: (f, _, ctx) => (f.targetKind === 'notice' ? ctx.loaders.notice.load(f.targetId) : null),
  },
};
